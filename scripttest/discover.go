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

// rootFor returns the scripts directory of a test file: root when the
// file is inside it, else the file's directory.
func rootFor(root, file string) string {
	dir := filepath.Dir(file)
	if root == "" {
		return dir
	}
	rel, err := filepath.Rel(root, dir)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return dir
	}
	return root
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
