package probe

var accountSteps = []Step{}
