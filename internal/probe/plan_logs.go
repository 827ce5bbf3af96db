package probe

var logSteps = []Step{}

var backupSteps = []Step{}
