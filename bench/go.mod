module github.com/eslscript/eslscript/bench

go 1.26.8

require github.com/eslscript/eslscript v0.0.0

require github.com/percipia/eslgo v1.5.0

replace github.com/eslscript/eslscript => ../
