package host

import (
	"github.com/yuin/gopher-lua/ast"
)

// coerceForBounds rewrites the numeric for loops of a chunk so that a
// bound or step that is a numeric string counts as its number, as in Lua
// 5.3 (for i = "1", n): gopher-lua raises "for statement init must be a
// number". A bound that is not a number constant becomes (bound + 0),
// which gopher-lua's arithmetic coerces; a string that is no number then
// fails as an arithmetic on a string value.
func coerceForBounds(stmts []ast.Stmt) {
	for _, st := range stmts {
		coerceStmt(st)
	}
}

func coerceStmt(st ast.Stmt) {
	switch s := st.(type) {
	case *ast.NumberForStmt:
		s.Init, s.Limit = plusZero(s.Init), plusZero(s.Limit)
		if s.Step != nil {
			s.Step = plusZero(s.Step)
		}
		coerceExprs(s.Init, s.Limit, s.Step)
		coerceForBounds(s.Stmts)
	case *ast.AssignStmt:
		coerceExprs(s.Lhs...)
		coerceExprs(s.Rhs...)
	case *ast.LocalAssignStmt:
		coerceExprs(s.Exprs...)
	case *ast.FuncCallStmt:
		coerceExprs(s.Expr)
	case *ast.DoBlockStmt:
		coerceForBounds(s.Stmts)
	case *ast.WhileStmt:
		coerceExprs(s.Condition)
		coerceForBounds(s.Stmts)
	case *ast.RepeatStmt:
		coerceExprs(s.Condition)
		coerceForBounds(s.Stmts)
	case *ast.IfStmt:
		coerceExprs(s.Condition)
		coerceForBounds(s.Then)
		coerceForBounds(s.Else)
	case *ast.GenericForStmt:
		coerceExprs(s.Exprs...)
		coerceForBounds(s.Stmts)
	case *ast.FuncDefStmt:
		coerceForBounds(s.Func.Stmts)
	case *ast.ReturnStmt:
		coerceExprs(s.Exprs...)
	}
}

// coerceExprs walks expressions for the function bodies they hold.
func coerceExprs(exprs ...ast.Expr) {
	for _, e := range exprs {
		switch x := e.(type) {
		case *ast.FunctionExpr:
			coerceForBounds(x.Stmts)
		case *ast.AttrGetExpr:
			coerceExprs(x.Object, x.Key)
		case *ast.TableExpr:
			for _, f := range x.Fields {
				coerceExprs(f.Key, f.Value)
			}
		case *ast.FuncCallExpr:
			coerceExprs(x.Func, x.Receiver)
			coerceExprs(x.Args...)
		case *ast.LogicalOpExpr:
			coerceExprs(x.Lhs, x.Rhs)
		case *ast.RelationalOpExpr:
			coerceExprs(x.Lhs, x.Rhs)
		case *ast.StringConcatOpExpr:
			coerceExprs(x.Lhs, x.Rhs)
		case *ast.ArithmeticOpExpr:
			coerceExprs(x.Lhs, x.Rhs)
		case *ast.UnaryMinusOpExpr:
			coerceExprs(x.Expr)
		case *ast.UnaryNotOpExpr:
			coerceExprs(x.Expr)
		case *ast.UnaryLenOpExpr:
			coerceExprs(x.Expr)
		}
	}
}

// plusZero returns e + 0, or e itself when it is a number constant.
func plusZero(e ast.Expr) ast.Expr {
	switch x := e.(type) {
	case *ast.NumberExpr:
		return e
	case *ast.UnaryMinusOpExpr:
		if _, ok := x.Expr.(*ast.NumberExpr); ok {
			return e
		}
	}
	zero := &ast.NumberExpr{Value: "0"}
	zero.SetLine(e.Line())
	zero.SetLastLine(e.LastLine())
	sum := &ast.ArithmeticOpExpr{Operator: "+", Lhs: e, Rhs: zero}
	sum.SetLine(e.Line())
	sum.SetLastLine(e.LastLine())
	return sum
}
