package host

import (
	"testing"

	lua "github.com/yuin/gopher-lua"
)

func TestSandboxGetenvHidesSecrets(t *testing.T) {
	t.Setenv("ESL_PASSWORD", "hunter2-sandbox")
	t.Setenv("ESLSCRIPT_TEST_PLAIN", "visible")
	L := lua.NewState(lua.Options{SkipOpenLibs: true})
	defer L.Close()
	openSafeLibs(L, Sandbox{})
	if err := L.DoString(`pw = os.getenv("ESL_PASSWORD"); plain = os.getenv("ESLSCRIPT_TEST_PLAIN")`); err != nil {
		t.Fatal(err)
	}
	if v := L.GetGlobal("pw"); v != lua.LNil {
		t.Fatalf("os.getenv(ESL_PASSWORD) = %v, want nil", v)
	}
	if v := L.GetGlobal("plain").String(); v != "visible" {
		t.Fatalf("os.getenv(plain) = %q, want visible", v)
	}
}
