package loader

import (
	"go/ast"
	gobuild "go/build"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/mod/modfile"
)

// quickFind is findModels without the type checker. It reads the model
// packages with go/parser and names every exported type in them as a
// candidate; the generated program tells the models from the other types
// by reflection, as bun itself does. That spares a go command per load
// after an edit: go/packages' `go list -export` compiles the models only
// for their types, where the program's build compiles them anyway.
//
// ok is false whenever syntax alone cannot promise the type checker's
// answer: a pattern that is not a folder of the main module, build
// constraints, cgo, dot imports, a Models declaration of another shape, or
// an unexported or generic struct that might embed bun.BaseModel without an
// exported model embedding it. The caller then takes the type-checked
// path, which also words every error.
func quickFind(root, dir string, patterns []string) (f *found, ok bool) {
	data, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		return nil, false
	}
	modPath := modfile.ModulePath(data)
	dirs, ok := patternDirs(root, dir, patterns)
	if modPath == "" || !ok {
		return nil, false
	}
	type pkg struct {
		path string
		syn  *pkgSyntax
	}
	var pkgs []pkg
	for _, d := range dirs {
		syn, ok := parsePackage(d, modPath)
		if !ok {
			return nil, false
		}
		rel, err := filepath.Rel(root, d)
		if err != nil {
			return nil, false
		}
		p := modPath
		if rel != "." {
			p += "/" + filepath.ToSlash(rel)
		}
		pkgs = append(pkgs, pkg{p, syn})
	}
	slices.SortFunc(pkgs, func(a, b pkg) int { return strings.Compare(a.path, b.path) })
	f = &found{bySyntax: true}
	for _, p := range pkgs {
		f.searched = append(f.searched, p.path)
		if len(p.syn.types) == 0 && p.syn.list == "" {
			continue
		}
		alias := "m" + strconv.Itoa(len(f.imports))
		f.imports = append(f.imports, genImport{Alias: alias, Path: p.path})
		for _, n := range p.syn.types {
			f.candidates = append(f.candidates, genModel{Name: p.path + "." + n, Alias: alias, Type: n})
		}
		if p.syn.list != "" {
			f.lists = append(f.lists, genList{Name: p.path + "." + modelsListName, Expr: alias + "." + p.syn.list})
		}
	}
	if len(f.imports) == 0 {
		return nil, false
	}
	return f, true
}

// patternDirs returns the folders the patterns match, each once, in the
// go command's terms: "./x" is the folder x, "./x/..." x and every folder
// below it holding Go files, except those whose name starts with "." or
// "_", testdata, and nested modules. ok is false for any other kind of
// pattern, and for anything the go command might read otherwise
// (symbolic links, vendor folders, a folder of another module).
func patternDirs(root, dir string, patterns []string) (dirs []string, ok bool) {
	seen := map[string]bool{}
	add := func(d string) {
		if !seen[d] {
			seen[d] = true
			dirs = append(dirs, d)
		}
	}
	for _, p := range patterns {
		base, recursive := strings.CutSuffix(p, "/...")
		if strings.Contains(base, "...") || !isFolderPattern(base) {
			return nil, false
		}
		d := base
		if !filepath.IsAbs(d) {
			d = filepath.Join(dir, d)
		}
		d = filepath.Clean(d)
		if !inMainModule(root, d) {
			return nil, false
		}
		if !recursive {
			if hasTestOnly, n := goFiles(d); n == 0 || hasTestOnly {
				return nil, false
			}
			add(d)
			continue
		}
		err := filepath.WalkDir(d, func(path string, e fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if e.Type()&fs.ModeSymlink != 0 {
				return errNotQuick
			}
			if !e.IsDir() {
				return nil
			}
			if path != d {
				name := e.Name()
				if strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") || name == "testdata" {
					return filepath.SkipDir
				}
				if name == "vendor" {
					return errNotQuick
				}
				if _, err := os.Stat(filepath.Join(path, "go.mod")); err == nil {
					return filepath.SkipDir
				}
			}
			switch testOnly, n := goFiles(path); {
			case testOnly:
				return errNotQuick
			case n > 0:
				add(path)
			}
			return nil
		})
		if err != nil {
			return nil, false
		}
	}
	return dirs, len(dirs) > 0
}

// errNotQuick stops a walk that met what only the go command can judge.
var errNotQuick = fs.ErrInvalid

// isFolderPattern reports whether the go command reads p as a folder, not
// as an import path.
func isFolderPattern(p string) bool {
	if p == "." || p == ".." || filepath.IsAbs(p) {
		return true
	}
	for _, prefix := range []string{"./", "../", `.\`, `..\`} {
		if strings.HasPrefix(p, prefix) {
			return true
		}
	}
	return false
}

// inMainModule reports whether folder d lies in the module rooted at root,
// with no go.mod between them and no symbolic link on the way.
func inMainModule(root, d string) bool {
	rel, err := filepath.Rel(root, d)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) || filepath.IsAbs(rel) {
		return false
	}
	for p := d; p != root; p = filepath.Dir(p) {
		fi, err := os.Lstat(p)
		if err != nil || !fi.IsDir() {
			return false
		}
		if _, err := os.Stat(filepath.Join(p, "go.mod")); err == nil {
			return false
		}
		if filepath.Dir(p) == p {
			return false
		}
	}
	return true
}

// goFiles counts the Go files of folder d that the go command would build
// (tests and files starting with "." or "_" left out), and reports whether
// it holds only tests.
func goFiles(d string) (testOnly bool, n int) {
	entries, err := os.ReadDir(d)
	if err != nil {
		return false, 0
	}
	tests := 0
	for _, e := range entries {
		switch isGo, isTest := goSource(e); {
		case isTest:
			tests++
		case isGo:
			n++
		}
	}
	return n == 0 && tests > 0, n
}

// goSource reports whether e is a Go file the go command builds, or one
// of its tests; it ignores names starting with "." or "_".
func goSource(e fs.DirEntry) (isGo, isTest bool) {
	name := e.Name()
	if !e.Type().IsRegular() || !strings.HasSuffix(name, ".go") || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") {
		return false, false
	}
	if strings.HasSuffix(name, "_test.go") {
		return false, true
	}
	return true, false
}

// pkgSyntax is what quickFind needs of one package.
type pkgSyntax struct {
	types []string // exported, non-generic defined types, sorted
	list  string   // "Models", "Models()" or "" (see modelsList)
}

// parsePackage reads the Go files of folder d. ok is false when the
// package's meaning depends on more than its syntax (see quickFind).
func parsePackage(d, modPath string) (*pkgSyntax, bool) {
	entries, err := os.ReadDir(d)
	if err != nil {
		return nil, false
	}
	fset := token.NewFileSet()
	var files []*ast.File
	for _, e := range entries {
		if isGo, _ := goSource(e); !isGo {
			continue
		}
		name := e.Name()
		if !unconstrained(d, name) {
			return nil, false
		}
		f, err := parser.ParseFile(fset, filepath.Join(d, name), nil, parser.ParseComments|parser.SkipObjectResolution)
		if err != nil || hasConstraint(f) || (len(files) > 0 && f.Name.Name != files[0].Name.Name) || f.Name.Name == "main" {
			return nil, false
		}
		files = append(files, f)
	}
	if len(files) == 0 {
		return nil, false
	}
	return readDecls(files, modPath)
}

// unconstrained reports whether file name in d builds for every target,
// as far as its name says: a _linux or _amd64 suffix fails one of two
// unrelated targets.
func unconstrained(d, name string) bool {
	for _, target := range [][2]string{{"linux", "amd64"}, {"windows", "arm64"}} {
		ctx := gobuild.Default
		ctx.GOOS, ctx.GOARCH, ctx.CgoEnabled = target[0], target[1], true
		if ok, err := ctx.MatchFile(d, name); err != nil || !ok {
			return false
		}
	}
	return true
}

// hasConstraint reports whether f carries a build constraint line, which
// the user's -tags may turn either way.
func hasConstraint(f *ast.File) bool {
	for _, g := range f.Comments {
		if g.Pos() > f.Package {
			break
		}
		for _, c := range g.List {
			if strings.HasPrefix(c.Text, "//go:build") || strings.HasPrefix(c.Text, "// +build") {
				return true
			}
		}
	}
	return false
}

// decls is a package's top-level type declarations, by name.
type decls struct {
	modPath string
	specs   map[string]*ast.TypeSpec
	imports map[string]map[string]string // type name -> its file's import names -> paths
}

// readDecls collects the exported types and the Models list of a package's
// files and checks that no struct the generated program cannot name might
// be a model.
func readDecls(files []*ast.File, modPath string) (*pkgSyntax, bool) {
	d := decls{modPath: modPath, specs: map[string]*ast.TypeSpec{}, imports: map[string]map[string]string{}}
	syn := &pkgSyntax{}
	for _, f := range files {
		names, ok := importNames(f)
		if !ok {
			return nil, false
		}
		for _, decl := range f.Decls {
			if !d.add(decl, names, syn) {
				return nil, false
			}
		}
	}
	if _, ok := d.specs["any"]; ok {
		return nil, false // []any would not mean []interface{}
	}
	for name, ts := range d.specs {
		if ts.Assign.IsValid() {
			continue
		}
		if ast.IsExported(name) && ts.TypeParams == nil {
			syn.types = append(syn.types, name)
		}
	}
	slices.Sort(syn.types)
	return syn, d.noHiddenModel()
}

// importNames maps the names f imports packages under to their paths; ok
// is false for dot imports and cgo.
func importNames(f *ast.File) (map[string]string, bool) {
	names := map[string]string{}
	for _, imp := range f.Imports {
		path, err := strconv.Unquote(imp.Path.Value)
		if err != nil || path == "C" {
			return nil, false
		}
		name := path[strings.LastIndex(path, "/")+1:]
		if imp.Name != nil {
			name = imp.Name.Name
		}
		if name == "." {
			return nil, false
		}
		names[name] = path
	}
	return names, true
}

// add records one top-level declaration; false means the Models list is
// declared in a shape syntax cannot vouch for.
func (d decls) add(decl ast.Decl, imports map[string]string, syn *pkgSyntax) bool {
	switch decl := decl.(type) {
	case *ast.FuncDecl:
		switch {
		case decl.Recv != nil:
			return true
		case decl.Name.Name == "any":
			return false
		case decl.Name.Name != modelsListName:
			return true
		}
		t := decl.Type
		if t.TypeParams != nil || t.Params.NumFields() != 0 || t.Results.NumFields() != 1 || len(t.Results.List[0].Names) > 0 || !isAnySlice(t.Results.List[0].Type) {
			return false
		}
		syn.list = modelsListName + "()"
	case *ast.GenDecl:
		for _, spec := range decl.Specs {
			switch spec := spec.(type) {
			case *ast.TypeSpec:
				d.specs[spec.Name.Name] = spec
				d.imports[spec.Name.Name] = imports
			case *ast.ValueSpec:
				if !d.value(decl.Tok, spec, syn) {
					return false
				}
			}
		}
	}
	return true
}

// value vets a var or const spec: one naming Models must be a list of
// type []any; one naming any is refused.
func (d decls) value(tok token.Token, spec *ast.ValueSpec, syn *pkgSyntax) bool {
	for _, n := range spec.Names {
		if n.Name == "any" {
			return false
		}
		if n.Name != modelsListName {
			continue
		}
		if tok != token.VAR || len(spec.Names) != 1 || len(spec.Values) > 1 {
			return false
		}
		switch {
		case spec.Type != nil && isAnySlice(spec.Type):
		case spec.Type == nil && len(spec.Values) == 1:
			lit, ok := spec.Values[0].(*ast.CompositeLit)
			if !ok || !isAnySlice(lit.Type) {
				return false
			}
		default:
			return false
		}
		syn.list = modelsListName
	}
	return true
}

// isAnySlice reports whether e spells []any or []interface{}.
func isAnySlice(e ast.Expr) bool {
	arr, ok := e.(*ast.ArrayType)
	if !ok || arr.Len != nil {
		return false
	}
	switch elt := arr.Elt.(type) {
	case *ast.Ident:
		return elt.Name == "any"
	case *ast.InterfaceType:
		return elt.Methods.NumFields() == 0
	}
	return false
}

// noHiddenModel reports whether every unexported or generic struct that
// might embed bun.BaseModel is embedded, through local structs, by an
// exported non-generic one: the type checker's path reports such structs
// when nothing exported reaches them, and the generated program could not
// see them.
func (d decls) noHiddenModel() bool {
	reached := map[string]bool{}
	var reach func(name string)
	reach = func(name string) {
		for _, e := range d.embedded(name) {
			if local := d.localName(e); local != "" && !reached[local] {
				reached[local] = true
				reach(local)
			}
		}
	}
	for name, ts := range d.specs {
		if ast.IsExported(name) && ts.TypeParams == nil {
			reach(name)
		}
	}
	for name, ts := range d.specs {
		if ts.Assign.IsValid() {
			continue // an alias is never reported: the type it names is
		}
		if (!ast.IsExported(name) || ts.TypeParams != nil) && !reached[name] && d.mayEmbedBaseModel(name, map[string]bool{}) {
			return false
		}
	}
	return true
}

// embedded returns the types of the embedded fields of the struct declared
// as name, nil when it is no struct literal.
func (d decls) embedded(name string) []ast.Expr {
	ts, ok := d.specs[name]
	if !ok || ts.Assign.IsValid() {
		return nil
	}
	st, ok := ts.Type.(*ast.StructType)
	if !ok {
		return nil
	}
	var out []ast.Expr
	for _, f := range st.Fields.List {
		if len(f.Names) == 0 {
			out = append(out, f.Type)
		}
	}
	return out
}

// localName is the package-level type an embedded field's type names
// (through a pointer or an instantiation), or "".
func (d decls) localName(e ast.Expr) string {
	if id, ok := unwrapEmbedded(e).(*ast.Ident); ok {
		if _, ok := d.specs[id.Name]; ok {
			return id.Name
		}
	}
	return ""
}

func unwrapEmbedded(e ast.Expr) ast.Expr {
	for {
		switch t := e.(type) {
		case *ast.StarExpr:
			e = t.X
		case *ast.ParenExpr:
			e = t.X
		case *ast.IndexExpr:
			e = t.X
		case *ast.IndexListExpr:
			e = t.X
		default:
			return e
		}
	}
}

// mayEmbedBaseModel reports whether the struct declared as name embeds
// bun.BaseModel, or might: a type of another module's package, an alias or
// a name not declared here could.
func (d decls) mayEmbedBaseModel(name string, seen map[string]bool) bool {
	if seen[name] {
		return false
	}
	seen[name] = true
	if ts := d.specs[name]; ts.Assign.IsValid() {
		return true
	}
	for _, e := range d.embedded(name) {
		switch t := unwrapEmbedded(e).(type) {
		case *ast.SelectorExpr:
			x, ok := t.X.(*ast.Ident)
			if !ok {
				return true
			}
			path, ok := d.imports[name][x.Name]
			if !ok {
				return true
			}
			if slices.Contains(bunBaseModels[:], path) {
				if t.Sel.Name == "BaseModel" {
					return true
				}
				continue // bun's other types embed no model
			}
			if first, _, _ := strings.Cut(path, "/"); strings.Contains(first, ".") || path == d.modPath || strings.HasPrefix(path, d.modPath+"/") {
				return true // a type of another package than the standard library's might
			}
		case *ast.Ident:
			if _, ok := d.specs[t.Name]; !ok {
				if !isPredeclared(t.Name) {
					return true
				}
				continue
			}
			if d.mayEmbedBaseModel(t.Name, seen) {
				return true
			}
		default:
			return true
		}
	}
	return false
}

// isPredeclared reports whether name is a predeclared type that a struct
// can embed.
func isPredeclared(name string) bool {
	switch name {
	case "bool", "byte", "complex64", "complex128", "error", "float32", "float64",
		"int", "int8", "int16", "int32", "int64", "rune", "string",
		"uint", "uint8", "uint16", "uint32", "uint64", "uintptr", "comparable":
		return true
	}
	return false
}
