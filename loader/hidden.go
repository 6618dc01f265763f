package loader

import (
	"go/ast"
	"go/parser"
	"go/token"
	"slices"
	"strconv"
	"strings"
)

// hiddenModels finds, in the package's source files, the unexported struct
// types that embed bun.BaseModel (directly or through other such structs of
// the file set) and are not in known. The type checker reads packages from
// export data, which holds no unexported type that nothing exported reaches,
// so these are found by syntax; each would otherwise be passed over without
// a word.
func hiddenModels(files []string, known map[string]bool) []string {
	fset := token.NewFileSet()
	embeds := map[string][]string{} // struct type -> local types it embeds
	direct := map[string]bool{}     // struct type -> embeds bun.BaseModel itself
	for _, path := range files {
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			continue // the type checker has already accepted the package
		}
		bun := bunImportNames(f)
		for _, decl := range f.Decls {
			gd, ok := decl.(*ast.GenDecl)
			if !ok || gd.Tok != token.TYPE {
				continue
			}
			for _, spec := range gd.Specs {
				ts := spec.(*ast.TypeSpec)
				st, ok := ts.Type.(*ast.StructType)
				if !ok || ts.TypeParams != nil {
					continue
				}
				for _, fld := range st.Fields.List {
					if len(fld.Names) > 0 {
						continue
					}
					typ := fld.Type
					if star, ok := typ.(*ast.StarExpr); ok {
						typ = star.X
					}
					switch t := typ.(type) {
					case *ast.SelectorExpr:
						if x, ok := t.X.(*ast.Ident); ok && bun[x.Name] && t.Sel.Name == "BaseModel" {
							direct[ts.Name.Name] = true
						}
					case *ast.Ident:
						embeds[ts.Name.Name] = append(embeds[ts.Name.Name], t.Name)
					}
				}
			}
		}
	}
	var out []string
	for name := range embeds {
		direct[name] = direct[name] || reaches(name, embeds, direct, map[string]bool{})
	}
	for name, ok := range direct {
		if ok && !ast.IsExported(name) && !known[name] {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out
}

// reaches reports whether name embeds, through local structs, one that
// embeds bun.BaseModel.
func reaches(name string, embeds map[string][]string, direct, seen map[string]bool) bool {
	if seen[name] {
		return false
	}
	seen[name] = true
	for _, e := range embeds[name] {
		if direct[e] || reaches(e, embeds, direct, seen) {
			return true
		}
	}
	return false
}

// bunImportNames are the names under which f imports bun.
func bunImportNames(f *ast.File) map[string]bool {
	names := map[string]bool{}
	for _, imp := range f.Imports {
		path, err := strconv.Unquote(imp.Path.Value)
		if err != nil || !slices.Contains(bunBaseModels[:], path) {
			continue
		}
		name := path[strings.LastIndex(path, "/")+1:]
		if imp.Name != nil {
			name = imp.Name.Name
		}
		names[name] = true
	}
	return names
}
