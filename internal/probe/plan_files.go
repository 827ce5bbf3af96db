package probe

var fileSteps = []Step{}
