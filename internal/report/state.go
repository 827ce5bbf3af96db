package report

import (
	"github.com/trowel-dev/trowel/internal/snapshot"
)

// serviceSubject is the claim subject of a service's state.
func serviceSubject(name string) string { return "services[" + name + "]" }

// stateOf is what is known of the state of the service called name, and the
// subject a claim about it names. A name no service answers to (a middleware
// whose service was not found) has nothing known of it.
func (b *builder) stateOf(name string) (snapshot.ServiceState, string) {
	sv, ok := b.s.ServiceNamed(name)
	if !ok {
		return b.s.StateOf(snapshot.Service{}), ""
	}
	return b.s.StateOf(sv), serviceSubject(sv.Name)
}

// runWords says in a few words whether a service runs: "running", "stopped",
// "whether it runs is not known (read offline)".
func (b *builder) runWords(st snapshot.ServiceState) string {
	switch st.Run {
	case snapshot.Running:
		return b.t("state.running")
	case snapshot.Exited:
		return b.t("state.exited")
	case snapshot.Stopped:
		return b.t("state.stopped")
	}
	if st.Mode == snapshot.ModeOffline {
		return b.t("state.run_offline")
	}
	return b.t("state.run_unknown")
}

// bootWords says in a few words whether a service starts at boot.
func (b *builder) bootWords(st snapshot.ServiceState) string {
	switch st.Boot {
	case snapshot.Enabled:
		return b.t("state.enabled")
	case snapshot.Disabled:
		return b.t("state.disabled")
	case snapshot.Static:
		return b.t("state.static")
	case snapshot.Masked:
		return b.t("state.masked")
	}
	return b.t("state.boot_unknown")
}

// claimRun writes and claims the run state of subject.
func (b *builder) claimRun(subject string, st snapshot.ServiceState, words string) string {
	return b.claim(Claim{Subject: subject, Says: SaysRun, Value: string(st.Run), Text: words, Evidence: st.Evidence})
}

// claimBoot writes and claims the boot state of subject.
func (b *builder) claimBoot(subject string, st snapshot.ServiceState, words string) string {
	return b.claim(Claim{Subject: subject, Says: SaysBoot, Value: string(st.Boot), Text: words, Evidence: st.Evidence})
}

// stateWords says whether a service runs and whether it starts at boot,
// "stopped, does not start at boot", and claims both. Offline the run part is
// left out: the document says once that nothing is known of what runs, and
// "starts at boot" is the most that can be said of each service.
func (b *builder) stateWords(subject string, st snapshot.ServiceState) string {
	boot := b.claimBoot(subject, st, b.bootWords(st))
	if st.Mode == snapshot.ModeOffline {
		return boot
	}
	return b.claimRun(subject, st, b.runWords(st)) + b.t("state.sep") + boot
}

// runCell is a table cell or fact value saying whether a service runs: yes, no,
// unknown, with the init system's word beside it ("no (failed)").
func (b *builder) runCell(subject string, st snapshot.ServiceState) string {
	var text string
	switch st.Run {
	case snapshot.Running:
		text = b.t("val.yes")
	case snapshot.Exited:
		text = b.t("state.exited")
	case snapshot.Stopped:
		text = b.t("val.no")
	default:
		text = b.t("val.unknown")
	}
	if st.RunWord != "" && st.Run != snapshot.RunUnknown && st.Run != snapshot.Exited {
		text += " (" + st.RunWord + ")"
	}
	return b.claimRun(subject, st, text)
}

// bootCell is a table cell or fact value saying whether a service starts at
// boot, with the init system's word beside it ("no (masked)", "yes (2345)").
func (b *builder) bootCell(subject string, st snapshot.ServiceState) string {
	var text string
	switch st.Boot {
	case snapshot.Enabled:
		text = b.t("val.yes")
	case snapshot.BootUnknown:
		text = b.t("val.unknown")
	default:
		text = b.t("val.no")
	}
	if st.BootWord != "" {
		text += " (" + st.BootWord + ")"
	}
	return b.claimBoot(subject, st, text)
}

// idle reports whether a configured server is installed, set up, and stopped
// without starting at boot: retired, or stopped after an incident, its
// configuration and any firewall opening still in place.
func idle(st snapshot.ServiceState) bool {
	return st.Run == snapshot.Stopped && st.Boot != snapshot.Enabled
}
