package host

import (
	"bytes"
	"errors"
	"fmt"

	lua "github.com/yuin/gopher-lua"
	"github.com/yuin/gopher-lua/ast"
	"github.com/yuin/gopher-lua/parse"
)

// luaFile is one compiled file of a generation. Its proto is shared by every
// state of the generation (gopher-lua protos are immutable once compiled).
type luaFile struct {
	rel     string // "lib/util.lua"
	path    string // Dir joined with rel; also the chunk name
	proto   *lua.FunctionProto
	retLine int            // line of the top-level return statement, 0 if none
	lines   map[string]int // line of each field of the returned table (fieldLines)
}

// compileAll compiles every source once, collecting every failure.
func compileAll(srcs []sourceFile) (map[string]*luaFile, []*LoadError) {
	files := make(map[string]*luaFile, len(srcs))
	var errs []*LoadError
	for _, s := range srcs {
		f, err := compileFile(s)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		files[s.rel] = f
	}
	return files, errs
}

// compileFile parses and compiles one file, naming the chunk by its path.
func compileFile(s sourceFile) (*luaFile, *LoadError) {
	src, modLua := s.src, modLuaRoot(s.rel) != ""
	if modLua {
		src = lua53Escapes(src) // Lua 5.3's string escapes (lua53_escapes.go)
	}
	chunk, err := parse.Parse(bytes.NewReader(src), s.path)
	if err != nil {
		return nil, syntaxError(s, err)
	}
	if modLua {
		coerceForBounds(chunk) // Lua 5.3's for loops (lua53_for.go)
	}
	proto, err := lua.Compile(chunk, s.path)
	if err != nil {
		return nil, compileError(s, err)
	}
	return &luaFile{rel: s.rel, path: s.path, proto: proto, retLine: returnLine(chunk), lines: fieldLines(chunk)}, nil
}

// returnLine is the line of the chunk's final return statement, or 0.
func returnLine(chunk []ast.Stmt) int {
	if len(chunk) == 0 {
		return 0
	}
	if ret, ok := chunk[len(chunk)-1].(*ast.ReturnStmt); ok {
		return ret.Line()
	}
	return 0
}

// syntaxError turns a parser error into a LoadError with the real line; an
// error at end of file gets the file's last line.
func syntaxError(s sourceFile, err error) *LoadError {
	var pe *parse.Error
	if !errors.As(err, &pe) {
		return &LoadError{File: s.path, Msg: "syntax error: " + err.Error()}
	}
	if pe.Pos.Line == parse.EOF {
		return &LoadError{File: s.path, Line: lastLine(s.src), Msg: pe.Message + " at end of file"}
	}
	msg := pe.Message
	if pe.Token != "" {
		msg = fmt.Sprintf("%s near '%s'", pe.Message, pe.Token)
	}
	return &LoadError{File: s.path, Line: pe.Pos.Line, Msg: msg}
}

func compileError(s sourceFile, err error) *LoadError {
	var ce *lua.CompileError
	if errors.As(err, &ce) {
		return &LoadError{File: s.path, Line: ce.Line, Msg: ce.Message}
	}
	return &LoadError{File: s.path, Msg: err.Error()}
}

// lastLine counts the lines of src (a final line without newline counts).
func lastLine(src []byte) int {
	n := bytes.Count(src, []byte{'\n'})
	if len(src) > 0 && src[len(src)-1] != '\n' {
		n++
	}
	return n
}
