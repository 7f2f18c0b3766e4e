package host

import (
	"strings"

	"github.com/yuin/gopher-lua/ast"
)

// fieldLines maps the fields of the table a script returns to the lines
// that set them, so that validation points at the field at fault rather
// than at the return statement. Keys are field paths joined by pathSep
// ("events" pathSep "CHANNEL_ANSWER"). It understands the two usual
// shapes: `return { ... }`, and `local M = { ... }` (or `local M = {}`)
// followed by top-level `M.key = ...` or `function M.key() ... end` and
// `return M`. Anything else gives no lines (the return line is used).
func fieldLines(chunk []ast.Stmt) map[string]int {
	lines := map[string]int{}
	if len(chunk) == 0 {
		return lines
	}
	ret, ok := chunk[len(chunk)-1].(*ast.ReturnStmt)
	if !ok || len(ret.Exprs) != 1 {
		return lines
	}
	switch e := ret.Exprs[0].(type) {
	case *ast.TableExpr:
		tableLines(lines, "", e)
	case *ast.IdentExpr:
		moduleLines(lines, e.Value, chunk[:len(chunk)-1])
	}
	return lines
}

// pathSep separates the keys of a field path (event names may hold dots).
const pathSep = "\x00"

// fieldPath joins keys into a fieldLines key.
func fieldPath(keys ...string) string { return strings.Join(keys, pathSep) }

// tableLines records the line of every string-keyed field of t, and of
// the fields of tables nested in it, under prefix.
func tableLines(lines map[string]int, prefix string, t *ast.TableExpr) {
	for _, f := range t.Fields {
		k, ok := f.Key.(*ast.StringExpr)
		if !ok {
			continue
		}
		p := joinPath(prefix, k.Value)
		lines[p] = f.Key.Line()
		if sub, ok := f.Value.(*ast.TableExpr); ok {
			tableLines(lines, p, sub)
		}
	}
}

// moduleLines records the fields of the top-level table named name: its
// constructor and the top-level assignments to its fields.
func moduleLines(lines map[string]int, name string, stmts []ast.Stmt) {
	for _, st := range stmts {
		switch s := st.(type) {
		case *ast.LocalAssignStmt:
			for i, n := range s.Names {
				if t, ok := exprAt(s.Exprs, i).(*ast.TableExpr); ok && n == name {
					tableLines(lines, "", t)
				}
			}
		case *ast.AssignStmt:
			for i, lhs := range s.Lhs {
				if key, ok := fieldOf(lhs, name); ok {
					lines[key] = lhs.Line()
					if t, ok := exprAt(s.Rhs, i).(*ast.TableExpr); ok {
						tableLines(lines, key, t)
					}
				}
			}
		case *ast.FuncDefStmt:
			if s.Name != nil && s.Name.Func != nil {
				if key, ok := fieldOf(s.Name.Func, name); ok {
					lines[key] = s.Line()
				}
			}
		}
	}
}

// fieldOf returns k when e is name.k or name["k"].
func fieldOf(e ast.Expr, name string) (string, bool) {
	a, ok := e.(*ast.AttrGetExpr)
	if !ok {
		return "", false
	}
	obj, ok := a.Object.(*ast.IdentExpr)
	if !ok || obj.Value != name {
		return "", false
	}
	k, ok := a.Key.(*ast.StringExpr)
	if !ok {
		return "", false
	}
	return k.Value, true
}

func exprAt(exprs []ast.Expr, i int) ast.Expr {
	if i < len(exprs) {
		return exprs[i]
	}
	return nil
}

func joinPath(prefix, key string) string {
	if prefix == "" {
		return key
	}
	return prefix + pathSep + key
}
