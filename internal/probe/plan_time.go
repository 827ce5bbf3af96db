package probe

var timeSteps = []Step{}

var cronSteps = []Step{}
