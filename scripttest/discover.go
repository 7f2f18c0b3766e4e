package scripttest

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// TestSuffix ends the name of every test file: ivr_test.lua tests ivr.lua.
const TestSuffix = "_test.lua"

// Discover returns the test files named by paths: files as given,
// directories searched recursively for *_test.lua (hidden directories
// skipped), sorted and without duplicates.
func Discover(paths []string) ([]string, error) {
	seen := map[string]bool{}
	var out []string
	for _, p := range paths {
		files, err := discoverOne(p)
		if err != nil {
			return nil, err
		}
		for _, f := range files {
			if !seen[f] {
				seen[f] = true
				out = append(out, f)
			}
		}
	}
	sort.Strings(out)
	return out, nil
}

func discoverOne(p string) ([]string, error) {
	fi, err := os.Stat(p)
	if err != nil {
		return nil, fmt.Errorf("scripttest: %w", err)
	}
	if !fi.IsDir() {
		return []string{filepath.Clean(p)}, nil
	}
	var out []string
	err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && path != p && strings.HasPrefix(d.Name(), ".") {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(d.Name(), TestSuffix) && !strings.HasPrefix(d.Name(), ".") {
			out = append(out, filepath.Clean(path))
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("scripttest: %w", err)
	}
	return out, nil
}

// rootFor returns the scripts directory of a test file, the directory
// the host loads for it: root when the file is inside it; else the
// shortest directory among paths that holds it (`eslscript test DIR`
// loads DIR, as `check DIR` and `run DIR` do); else the file's own
// directory. A directory found that way that is, or is inside, a
// mod_lua/ folder, or is a lib/ or oneshot/ folder, is replaced by the
// directory above that folder, where the host sees the folder for what
// it is.
func rootFor(root string, paths []string, file string) string {
	if root != "" && within(root, file) {
		return root
	}
	best := ""
	for _, p := range paths {
		if fi, err := os.Stat(p); err == nil && fi.IsDir() && within(p, file) && (best == "" || len(p) < len(best)) {
			best = filepath.Clean(p)
		}
	}
	if best == "" {
		best = filepath.Dir(file)
	}
	return liftRoot(best)
}

// within reports whether file is inside dir (at any depth).
func within(dir, file string) bool {
	rel, err := filepath.Rel(dir, filepath.Dir(file))
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// liftRoot moves dir above its outermost mod_lua component, and above
// trailing lib and oneshot components.
func liftRoot(dir string) string {
	parts := strings.Split(filepath.ToSlash(dir), "/")
	for i, p := range parts {
		if p == "mod_lua" && i > 0 {
			return filepath.FromSlash(strings.Join(parts[:i], "/"))
		}
	}
	for dir != "." && dir != string(filepath.Separator) {
		if b := filepath.Base(dir); b != "lib" && b != "oneshot" {
			break
		}
		dir = filepath.Dir(dir)
	}
	return dir
}

// scriptUnder returns the name the host gives the script a test file
// tests: "examples/ivr" for root/examples/ivr_test.lua.
func scriptUnder(root, file string) string {
	rel, err := filepath.Rel(root, file)
	if err != nil {
		rel = filepath.Base(file)
	}
	return filepath.ToSlash(strings.TrimSuffix(rel, TestSuffix))
}
