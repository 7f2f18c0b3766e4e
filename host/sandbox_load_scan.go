package host

import "strings"

// chunkLevels returns an upper bound of how deeply gopher-lua's parser
// nests the syntax tree of src, from its tokens alone: every open bracket
// and block counts, and so does, within one of them, every operator, field
// access, method call, call or index since the last separator (',', ';',
// '=' or a statement keyword), since a chain of those is a chain of nested
// nodes; so does every elseif of an open if. Strings and comments are
// skipped; it stops counting past maxChunkLevels.
func chunkLevels(src string) int {
	s := levelScan{src: src}
	for s.i < len(s.src) && s.max <= maxChunkLevels {
		s.token()
	}
	return s.max
}

// levelScan is chunkLevels' state.
type levelScan struct {
	src     string
	i       int
	open    []levelFrame // the open brackets and blocks
	base    int          // levels of the open frames, with their chains
	chain   int          // links in the current chain
	operand bool         // the last token ends an operand
	max     int
}

// levelFrame is an open bracket or block.
type levelFrame struct {
	chain   int  // the chain it interrupted
	elseifs int  // of an if block
	isIf    bool // an if block
}

func (s *levelScan) note() { s.max = max(s.max, s.base+s.chain) }

// push opens a bracket or block.
func (s *levelScan) push(isIf bool) {
	s.open = append(s.open, levelFrame{chain: s.chain, isIf: isIf})
	s.base += 1 + s.chain
	s.chain = 0
	s.note()
}

// pop closes the innermost bracket or block: it is one more link of the
// chain it interrupted.
func (s *levelScan) pop() {
	n := len(s.open)
	if n == 0 {
		return // unbalanced: the parser reports it
	}
	f := s.open[n-1]
	s.open = s.open[:n-1]
	s.base -= 1 + f.chain + f.elseifs
	s.chain = f.chain + 1
	s.note()
}

func (s *levelScan) link() {
	s.chain++
	s.note()
}

// token reads the token at s.i.
func (s *levelScan) token() {
	c := s.src[s.i]
	switch {
	case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
		s.i++
		return
	case c == '-' && strings.HasPrefix(s.src[s.i:], "--"):
		s.comment()
		return
	case c == '"' || c == '\'':
		s.quoted(c)
		s.argument()
	case c == '[' && s.longBracket() >= 0:
		s.long(s.longBracket())
		s.argument()
	case isNameStart(c) || isDigit(c):
		s.word()
		return
	case c == '(' || c == '[' || c == '{':
		s.i++
		s.push(false)
		s.operand = false
	case c == ')' || c == ']' || c == '}':
		s.i++
		s.pop()
		s.operand = true
	case c == ',' || c == ';' || c == '=' && !strings.HasPrefix(s.src[s.i:], "=="):
		s.i++
		s.chain, s.operand = 0, false
	default: // an operator, '.' or ':'
		s.i += operatorLen(s.src[s.i:])
		s.link()
		s.operand = false
	}
}

// argument accounts for a string just read: after an operand it is a
// call's argument (f"x"), one more link.
func (s *levelScan) argument() {
	if s.operand {
		s.link()
	}
	s.operand = true
}

// operatorLen is the length of the operator at the start of t.
func operatorLen(t string) int {
	for _, op := range []string{"...", "..", "==", "~=", "<=", ">=", "::"} {
		if strings.HasPrefix(t, op) {
			return len(op)
		}
	}
	return 1
}

// word reads a name, keyword or number. A name or number right after an
// operand starts a new statement: the chain ends.
func (s *levelScan) word() {
	start := s.i
	for s.i < len(s.src) && (isNameStart(s.src[s.i]) || isDigit(s.src[s.i]) || isDigit(s.src[start]) && s.src[s.i] == '.') {
		s.i++
	}
	switch s.src[start:s.i] {
	case "function", "do", "repeat":
		s.push(false)
	case "if":
		s.push(true)
	case "end", "until":
		s.pop()
		s.chain = 0
	case "elseif":
		if n := len(s.open); n > 0 && s.open[n-1].isIf {
			s.open[n-1].elseifs++
			s.base++
			s.note()
		}
		s.chain = 0
	case "then", "else", "local", "return", "while", "for", "in", "break", "goto":
		s.chain = 0
	case "and", "or", "not":
		s.link()
	default: // a name, number, nil, true, false
		if s.operand {
			s.chain = 0
		}
		s.operand = true
		return
	}
	s.operand = false
}

// comment skips "--..." to the end of the line, or a long comment.
func (s *levelScan) comment() {
	s.i += 2
	if s.i < len(s.src) && s.src[s.i] == '[' {
		if level := s.longBracket(); level >= 0 {
			s.long(level)
			return
		}
	}
	for s.i < len(s.src) && s.src[s.i] != '\n' {
		s.i++
	}
}

// quoted skips a string in quotes.
func (s *levelScan) quoted(q byte) {
	for s.i++; s.i < len(s.src) && s.src[s.i] != q; s.i++ {
		if s.src[s.i] == '\\' {
			s.i++
		}
	}
	s.i++
}

// longBracket returns the level of the long bracket "[==[" at s.i, or -1.
func (s *levelScan) longBracket() int {
	j := s.i + 1
	for j < len(s.src) && s.src[j] == '=' {
		j++
	}
	if j < len(s.src) && s.src[j] == '[' {
		return j - s.i - 1
	}
	return -1
}

// long skips a long string or comment of the given level.
func (s *levelScan) long(level int) {
	closer := "]" + strings.Repeat("=", level) + "]"
	s.i += level + 2
	if k := strings.Index(s.src[s.i:], closer); k >= 0 {
		s.i += k + len(closer)
	} else {
		s.i = len(s.src)
	}
}

func isNameStart(c byte) bool { return c == '_' || 'a' <= c|0x20 && c|0x20 <= 'z' }
func isDigit(c byte) bool     { return '0' <= c && c <= '9' }
