package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRecase(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"AL-NUSRAH FRONT", "al-Nusrah Front"},
		{"ISLAMIC STATE OF IRAQ AND THE LEVANT", "Islamic State of Iraq and the Levant"},
		{"IRGC GROUND FORCES", "IRGC Ground Forces"},
		{"33RD LIGHT INFANTRY DIVISION", "33rd Light Infantry Division"},
		{"PJAK", "PJAK"},
		{"Already Mixed", "Already Mixed"},
	} {
		if got := recase(tc.in); got != tc.want {
			t.Errorf("recase(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestClassify(t *testing.T) {
	for _, tc := range []struct {
		name  string
		progs []string
		want  string
	}{
		{"HAMAS", []string{"FTO", "SDGT"}, "militant"},
		{"AL-NUSRAH FRONT", []string{"SDGT"}, "militant"},
		{"AL-RASHID TRUST", []string{"SDGT"}, ""},
		{"ABC TRADING LLC", []string{"SDGT"}, ""},
		{"SYRIAN MILITARY INTELLIGENCE", []string{"SYRIA"}, "agency"},
		{"SYRIAN ARAB NAVY", []string{"SYRIA"}, "military"},
		{"ISLAMIC REVOLUTIONARY GUARD CORPS", []string{"FTO", "IRGC"}, "military"},
		{"MINISTRY OF STATE SECURITY", []string{"DPRK3"}, "agency"},
		{"GOLD STAR HOTEL", []string{"CUBA"}, ""},
	} {
		if got := classify(tc.name, tc.progs); got != tc.want {
			t.Errorf("classify(%q, %q) = %q, want %q", tc.name, tc.progs, got, tc.want)
		}
	}
}

func TestKeepAlias(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want bool
	}{
		{"JABHAT AL-NUSRAH", true},
		{"THE YOUTH", false},
		{"HM", false},
		{"IJG", false},
		{"HQN", true},
		{"AL-NUJABA TV", false},
		{"ISIS-WA", true},
		{"A B C D E F G H I J K L", false},
	} {
		if got := keepAlias(tc.in); got != tc.want {
			t.Errorf("keepAlias(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

// testRun converts sdn and alt CSV text with an empty lexicon and returns
// the output.
func testRun(t *testing.T, sdn, alt string) (string, error) {
	t.Helper()
	dir := t.TempDir()
	for name, text := range map[string]string{"sdn.csv": sdn, "alt.csv": alt, "actors.yaml": "actors:\n  - name: Hamas\n    kind: militant\n", "organisations.yaml": "", "conflicts.yaml": ""} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out := filepath.Join(dir, "sdn.yaml")
	if err := run(dir, dir, out); err != nil {
		return "", err
	}
	b, err := os.ReadFile(out)
	return string(b), err
}

func TestRun(t *testing.T) {
	sdn := `4695,"HAMAS",-0- ,"FTO] [SDGT",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"a.k.a. 'ISLAMIC RESISTANCE MOVEMENT'."
16937,"AL-NUSRAH FRONT",-0- ,"FTO] [SDGT",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"a.k.a. 'THE VICTORY FRONT'."
1,"SMITH, John",individual,"SDGT",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- 
2,"ACME TRADING LLC",-0- ,"SDGT",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- 
`
	alt := `16937,1,"aka","JABHAT AL-NUSRAH",-0- 
`
	got, err := testRun(t, sdn, alt)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"name: al-Nusrah Front\n    kind: militant\n    aliases: [Jabhat al-Nusrah]", "name: Hamas\n    aliases: [Islamic Resistance Movement]", "ent_num 16937 [FTO SDGT]"} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
	for _, bad := range []string{"Smith", "Acme", "Victory Front"} {
		if strings.Contains(got, bad) {
			t.Errorf("output has %q:\n%s", bad, got)
		}
	}
}

// FuzzRun feeds arbitrary text as the OFAC files: the converter either
// works or fails with an error, and never panics.
func FuzzRun(f *testing.F) {
	f.Add(`4695,"HAMAS",-0- ,"FTO] [SDGT",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"a.k.a. 'X Y Z'."`, `4695,1,"aka","AL-- QA'IDA",-0- `)
	f.Add(`1,"",-0- ,"",,,,,,,,`, ``)
	f.Add(`"unterminated`, `,,,`)
	f.Fuzz(func(t *testing.T, sdn, alt string) {
		_, _ = testRun(t, sdn, alt)
	})
}
