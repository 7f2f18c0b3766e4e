package scripttest

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
)

// libDir holds the scripts' shared modules: a change there may affect
// any test.
const libDir = "lib"

// Affected returns the test files among selected that changed files
// affect: a test file itself (nothing when it was deleted), a script
// the test file beside it (x.lua -> x_test.lua), and a module under a
// lib/ directory, a script without a test or any other file every
// selected test. dirs are the watched scripts directories.
func Affected(selected, dirs, changed []string) []string {
	want := map[string]bool{}
	for _, c := range changed {
		targets, all := affectedBy(filepath.Clean(c), dirs)
		if all {
			return selected
		}
		for _, t := range targets {
			want[t] = true
		}
	}
	var out []string
	for _, f := range selected {
		if want[filepath.Clean(f)] {
			out = append(out, f)
		}
	}
	return out
}

// affectedBy maps one changed file to test files, or to all of them.
func affectedBy(c string, dirs []string) (targets []string, all bool) {
	if strings.HasSuffix(c, TestSuffix) {
		return []string{c}, false
	}
	if !strings.HasSuffix(c, ".lua") || underLib(c, dirs) {
		return nil, true
	}
	test := strings.TrimSuffix(c, ".lua") + TestSuffix
	if !exists(test) {
		return nil, true // a script no test maps to (required by others?)
	}
	return []string{test}, false
}

// underLib reports whether c sits in a lib/ directory of a scripts root.
func underLib(c string, dirs []string) bool {
	for _, d := range dirs {
		rel, err := filepath.Rel(d, c)
		if err != nil || strings.HasPrefix(rel, "..") {
			continue
		}
		if slices.Contains(strings.Split(filepath.ToSlash(rel), "/"), libDir) {
			return true
		}
	}
	return false
}

// stamp identifies one version of a file.
type stamp struct {
	mod, size int64
}

// snapshot stamps every file under dirs but hidden ones and editor
// temporaries.
func snapshot(dirs []string) map[string]stamp {
	out := map[string]stamp{}
	for _, d := range dirs {
		_ = filepath.WalkDir(d, func(p string, e fs.DirEntry, err error) error {
			if err != nil {
				return nil // vanished meanwhile: its removal shows next time
			}
			if p != d && editorTemp(e.Name()) {
				if e.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			if fi, err := e.Info(); err == nil && !e.IsDir() {
				out[p] = stamp{fi.ModTime().UnixNano(), fi.Size()}
			}
			return nil
		})
	}
	return out
}

// editorTemp reports names a change of which concerns no test: hidden
// files, backups and swap files.
func editorTemp(name string) bool {
	return strings.HasPrefix(name, ".") || strings.HasSuffix(name, "~") ||
		strings.HasSuffix(name, ".swp") || strings.HasSuffix(name, ".swx") || strings.HasPrefix(name, "#")
}

// diff lists the files created, modified or deleted between two
// snapshots, sorted.
func diff(before, after map[string]stamp) []string {
	var out []string
	for p, s := range after {
		if b, ok := before[p]; !ok || b != s {
			out = append(out, p)
		}
	}
	for p := range before {
		if _, ok := after[p]; !ok {
			out = append(out, p)
		}
	}
	sort.Strings(out)
	return out
}

// exists reports whether a regular file is at p.
func exists(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.Mode().IsRegular()
}
