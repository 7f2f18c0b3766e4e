package main

import (
	"errors"
	"fmt"
	"os"

	"github.com/eslscript/eslscript/scripttest"
	"github.com/yuin/gopher-lua/parse"
)

// checkTestFiles compiles every *_test.lua under dir and returns one error
// per file that does not compile ("eslscript: FILE:LINE: ...").
func checkTestFiles(dir string) []error {
	files, err := scripttest.Discover([]string{dir})
	if err != nil {
		return []error{err}
	}
	var errs []error
	for _, f := range files {
		if err := compileTestFile(f); err != nil {
			errs = append(errs, err)
		}
	}
	return errs
}

// compileTestFile parses one test file.
func compileTestFile(path string) error {
	src, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("eslscript: %w", err)
	}
	defer src.Close()
	_, err = parse.Parse(src, path)
	var pe *parse.Error
	switch {
	case err == nil:
		return nil
	case !errors.As(err, &pe):
		return fmt.Errorf("eslscript: %s: test file does not compile: %v", path, err)
	case pe.Pos.Line == parse.EOF:
		return fmt.Errorf("eslscript: %s: test file does not compile: %s at end of file", path, pe.Message)
	case pe.Token != "":
		return fmt.Errorf("eslscript: %s:%d: test file does not compile: %s near '%s'", path, pe.Pos.Line, pe.Message, pe.Token)
	}
	return fmt.Errorf("eslscript: %s:%d: test file does not compile: %s", path, pe.Pos.Line, pe.Message)
}
