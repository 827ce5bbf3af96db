package probe

var dataSteps = []Step{}
