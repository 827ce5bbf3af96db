package probe

var networkSteps = []Step{}

var storageSteps = []Step{}
