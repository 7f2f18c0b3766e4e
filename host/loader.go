package host

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
)

// sourceFile is one .lua file read from the scripts directory.
type sourceFile struct {
	rel  string // relative path, "/"-separated: "lib/util.lua"
	path string // Dir joined with rel
	src  []byte
}

// build does Build's work with l.mu held.
func (l *Loader) build(prev *Generation) (*Generation, error) {
	if err := l.Sandbox.checkDirs(l.Dir); err != nil {
		return nil, err
	}
	srcs, err := l.readSources()
	if err != nil {
		return nil, err
	}
	hash := hashSources(srcs)
	if prev != nil && prev.Hash == hash {
		return nil, ErrUnchanged
	}
	if l.badErr != nil && l.badHash == hash {
		return nil, &knownBadError{cause: l.badErr}
	}
	g, lerr := l.compileAndRun(srcs)
	if lerr != nil {
		if !lerr.transient {
			l.badHash, l.badErr = hash, lerr
		}
		return nil, lerr
	}
	l.badHash, l.badErr = "", nil
	g.Hash = hash
	g.ID = 1
	if prev != nil {
		g.ID = prev.ID + 1
	}
	return g, nil
}

// compileAndRun compiles every file, then runs and validates every script.
func (l *Loader) compileAndRun(srcs []sourceFile) (*Generation, *LoadError) {
	files, errs := compileAll(srcs)
	if len(errs) > 0 {
		return nil, firstOf(errs)
	}
	g := newGeneration(l, files)
	scripts, errs := l.loadScripts(g, srcs)
	if len(errs) > 0 {
		return nil, firstOf(errs)
	}
	g.setScripts(scripts)
	return g, nil
}

// firstOf returns the first error with the others in Others.
func firstOf(errs []*LoadError) *LoadError {
	e := *errs[0]
	e.Others = errs[1:]
	for _, o := range errs {
		e.transient = e.transient || o.transient
	}
	return &e
}

// readSources reads every loadable .lua file under l.Dir, sorted by name.
func (l *Loader) readSources() ([]sourceFile, error) {
	var out []sourceFile
	err := filepath.WalkDir(l.Dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p != l.Dir && ignoredName(d.Name()) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() || !isScriptFile(d.Name()) {
			return nil
		}
		return l.appendSource(&out, p)
	})
	if err != nil {
		return nil, fmt.Errorf("host: reading scripts: %w", err)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].rel < out[j].rel })
	return out, nil
}

func (l *Loader) appendSource(out *[]sourceFile, p string) error {
	src, err := os.ReadFile(p)
	if err != nil {
		return err
	}
	rel, err := filepath.Rel(l.Dir, p)
	if err != nil {
		return err
	}
	*out = append(*out, sourceFile{rel: filepath.ToSlash(rel), path: p, src: src})
	return nil
}

// isScriptFile reports whether a (not ignored) file name is a Lua file to
// load: *.lua but not *_test.lua.
func isScriptFile(name string) bool {
	return strings.HasSuffix(name, ".lua") && !strings.HasSuffix(name, "_test.lua")
}

// ignoredName reports names the loader and the watcher skip: hidden files
// and directories, and editor temporaries (emacs "x~" and ".#x", vim swap
// files and its "4913" write probe).
func ignoredName(name string) bool {
	switch {
	case strings.HasPrefix(name, "."), strings.HasSuffix(name, "~"):
		return true
	case strings.HasSuffix(name, ".swp"), strings.HasSuffix(name, ".swx"), strings.HasSuffix(name, ".swo"):
		return true
	}
	return name == "4913"
}

// hashSources is a sha256 over every file's name and content, in name order,
// each length-prefixed so that no two different sets collide by concatenation.
func hashSources(srcs []sourceFile) string {
	h := sha256.New()
	var n [8]byte
	for _, s := range srcs {
		for _, part := range [][]byte{[]byte(s.rel), s.src} {
			binary.BigEndian.PutUint64(n[:], uint64(len(part)))
			h.Write(n[:])
			h.Write(part)
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

// isModuleOnly reports whether a file sits under a lib/ folder (modules
// for require) or a oneshot/ folder (scripts for `eslscript exec`), at any
// depth: it is compiled with the generation but never run as a script.
func isModuleOnly(rel string) bool {
	dir := path.Dir(rel)
	for dir != "." && dir != "/" {
		if b := path.Base(dir); b == "lib" || b == "oneshot" {
			return true
		}
		dir = path.Dir(dir)
	}
	return false
}

// scriptName is a script's name: its relative path without ".lua".
func scriptName(rel string) string { return strings.TrimSuffix(rel, ".lua") }

func noScriptError(name string) error {
	return fmt.Errorf("%w: %q", ErrNoScript, name)
}
