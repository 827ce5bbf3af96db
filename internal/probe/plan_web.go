package probe

var webSteps = []Step{}
