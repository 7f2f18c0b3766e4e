module github.com/eslscript/eslscript/bench

go 1.26.8

require github.com/eslscript/eslscript v0.0.0

replace github.com/eslscript/eslscript => ../
