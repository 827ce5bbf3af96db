package certs

import "testing"

func FuzzParseDump(f *testing.F) {
	f.Add(fixture(f, "legacy-web-certs.txt"))
	f.Add("==> /a <== ok\n-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n==> b <== x\n")
	f.Fuzz(func(t *testing.T, text string) {
		files, _ := ParseDump(text)
		for _, d := range files {
			certs, _ := ParsePEM(d.Data)
			for _, c := range certs {
				SANs(c)
				SelfSigned(c)
			}
		}
	})
}
