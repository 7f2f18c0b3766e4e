package host

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// compileRunFile reads and compiles path. Its rel is its path relative to
// dir when it lies under dir (so that Sandbox.Dirs applies), else its base
// name.
func compileRunFile(path, dir string) (*luaFile, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("host: %w", err)
	}
	f, lerr := compileFile(sourceFile{rel: relToDir(path, dir), path: path, src: src})
	if lerr != nil {
		return nil, lerr
	}
	return f, nil
}

// relToDir returns path relative to dir with "/", or its base name when it
// is not under dir.
func relToDir(path, dir string) string {
	ap, err1 := filepath.Abs(path)
	ad, err2 := filepath.Abs(dir)
	if err1 != nil || err2 != nil || !withinAny(ap, []string{ad}) {
		return filepath.Base(path)
	}
	rel, err := filepath.Rel(ad, ap)
	if err != nil {
		return filepath.Base(path)
	}
	return filepath.ToSlash(rel)
}

// readModuleSources reads every loadable .lua file under dir, as the
// Loader does, but skips what cannot be read instead of failing: dir may
// be any directory holding a one-shot script.
func readModuleSources(dir string) []sourceFile {
	l := &Loader{Dir: dir}
	var out []sourceFile
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		switch {
		case err != nil || (p != dir && ignoredName(d.Name())):
			return skipEntry(d)
		case d.IsDir() || !isScriptFile(d.Name()):
			return nil
		}
		_ = l.appendSource(&out, p) // unreadable files are skipped
		return nil
	})
	return out
}

// skipEntry skips a directory's whole tree, or a single file.
func skipEntry(d fs.DirEntry) error {
	if d != nil && d.IsDir() {
		return filepath.SkipDir
	}
	return nil
}
