package snapshot

import "testing"

func TestSysctlSetByAdmin(t *testing.T) {
	for origin, want := range map[string]bool{OriginAdmin: true, OriginUnknown: true, OriginOS: false, OriginRuntime: false} {
		sc := Sysctl{Key: "vm.swappiness", Configured: &SysctlSetting{Value: "10", Origin: origin}}
		if got := sc.SetByAdmin(); got != want {
			t.Errorf("origin %s: SetByAdmin() = %v, want %v", origin, got, want)
		}
	}
	if (Sysctl{Key: "vm.swappiness"}).SetByAdmin() {
		t.Error("a parameter no file sets is nobody's decision")
	}
}
