package loader

import (
	"context"
	"errors"
	"fmt"
	"go/types"
	"slices"
	"sort"
	"strings"

	"golang.org/x/tools/go/packages"
)

// bunBaseModels are the packages that define bun.BaseModel: bun declares it
// as an alias of schema.BaseModel, so the type checker sees the latter.
var bunBaseModels = [...]string{"github.com/uptrace/bun/schema", "github.com/uptrace/bun"}

// found is what the static search of the user's packages yields.
type found struct {
	searched []string // package paths searched, sorted
	// skipped are the structs embedding bun.BaseModel that the generated
	// program cannot name, "pkg.Type: why", unless a models list holds them.
	skipped    []string
	models     []genModel // exported structs embedding bun.BaseModel
	candidates []genModel // other exported structs: junctions when an m2m tag names them
	lists      []genList  // exported Models lists
	imports    []genImport
	bySyntax   bool // found by quickFind: candidates hold every exported type
}

// findModels type-checks the packages matched by patterns and returns every
// named, non-generic struct type that embeds bun.BaseModel, the other
// exported struct types (which the program keeps when an m2m tag names one
// as its junction) and the packages' exported Models lists.
func findModels(ctx context.Context, dir string, flags, patterns []string) (*found, error) {
	cfg := &packages.Config{
		Context:    ctx,
		Dir:        dir,
		Mode:       packages.NeedName | packages.NeedFiles | packages.NeedTypes,
		BuildFlags: flags,
		Env:        loaderEnv(),
	}
	pkgs, err := packages.Load(cfg, patterns...)
	if err != nil {
		return nil, fmt.Errorf("listing the model packages %s: %w", strings.Join(patterns, " "), err)
	}
	if err := checkLoaded(ctx, cfg, patterns, pkgs); err != nil {
		return nil, err
	}
	sort.Slice(pkgs, func(i, j int) bool { return pkgs[i].PkgPath < pkgs[j].PkgPath })
	f := &found{}
	for _, pkg := range pkgs {
		f.searched = append(f.searched, pkg.PkgPath)
		names, others, skipped := modelTypes(pkg.Types)
		inScope := map[string]bool{}
		if pkg.Types != nil {
			for _, n := range pkg.Types.Scope().Names() {
				inScope[n] = true
			}
		}
		for _, n := range hiddenModels(pkg.GoFiles, inScope) {
			skipped = append(skipped, n+": "+unexportedWhy)
		}
		slices.Sort(skipped)
		for _, sk := range skipped {
			f.skipped = append(f.skipped, pkg.PkgPath+"."+sk)
		}
		list := modelsList(pkg.Types)
		if len(names) == 0 && list == "" {
			continue
		}
		if pkg.Name == "main" {
			return nil, fmt.Errorf("package %s holds models %s but is a main package, which cannot be imported", pkg.PkgPath, strings.Join(append(names, list), ", "))
		}
		alias := fmt.Sprintf("m%d", len(f.imports))
		f.imports = append(f.imports, genImport{Alias: alias, Path: pkg.PkgPath})
		for _, n := range names {
			f.models = append(f.models, genModel{Name: pkg.PkgPath + "." + n, Alias: alias, Type: n})
		}
		for _, n := range others {
			f.candidates = append(f.candidates, genModel{Name: pkg.PkgPath + "." + n, Alias: alias, Type: n})
		}
		if list != "" {
			f.lists = append(f.lists, genList{Name: pkg.PkgPath + "." + modelsListName, Expr: alias + "." + list})
		}
	}
	// A models list may hold what the program cannot name: only its run
	// can tell, so the skipped structs are reported after it.
	if len(f.skipped) > 0 && len(f.lists) == 0 {
		return nil, fmt.Errorf("%w: %s", ErrUnloadable, strings.Join(f.skipped, "; "))
	}
	if len(f.models) == 0 && len(f.lists) == 0 {
		return nil, fmt.Errorf("%w: no struct embedding bun.BaseModel and no %s list in %s", ErrNoModels, modelsListName, strings.Join(f.searched, ", "))
	}
	return f, nil
}

// modelsListName is the exported variable (of type []any) or function
// (func() []any) through which a package names models that do not embed
// bun.BaseModel.
const modelsListName = "Models"

// modelsList returns how the generated program reads pkg's models list
// ("Models" or "Models()"), or "" when pkg declares none.
func modelsList(pkg *types.Package) string {
	if pkg == nil {
		return ""
	}
	anySlice := types.NewSlice(types.NewInterfaceType(nil, nil))
	switch obj := pkg.Scope().Lookup(modelsListName).(type) {
	case *types.Var:
		if types.Identical(obj.Type(), anySlice) {
			return modelsListName
		}
	case *types.Func:
		sig := obj.Type().(*types.Signature)
		if sig.Params().Len() == 0 && sig.Results().Len() == 1 && types.Identical(sig.Results().At(0).Type(), anySlice) {
			return modelsListName + "()"
		}
	}
	return ""
}

// checkLoaded turns list and type errors into errors naming the pattern at
// fault, or into a BuildError for code that does not compile.
func checkLoaded(ctx context.Context, cfg *packages.Config, patterns []string, pkgs []*packages.Package) error {
	listErr, compileErr := false, false
	packages.Visit(pkgs, nil, func(p *packages.Package) {
		for _, e := range p.Errors {
			if e.Kind == packages.ListError {
				listErr = true
			} else {
				compileErr = true
			}
		}
	})
	if len(pkgs) == 0 || listErr {
		// Load each pattern alone to say which one is at fault; this costs
		// time only on the error path.
		for _, pat := range patterns {
			ps, err := packages.Load(&packages.Config{Context: ctx, Dir: cfg.Dir, Mode: packages.NeedName, BuildFlags: cfg.BuildFlags, Env: cfg.Env}, pat)
			if err != nil {
				return fmt.Errorf("listing the model package pattern %q: %w", pat, err)
			}
			if len(ps) == 0 {
				return fmt.Errorf("%w: the model package pattern %q matches no package in %s", ErrNoPackage, pat, cfg.Dir)
			}
			for _, p := range ps {
				for _, e := range p.Errors {
					if e.Kind == packages.ListError {
						return fmt.Errorf("%w: the model package pattern %q cannot be loaded from %s: %s", ErrNoPackage, pat, cfg.Dir, e.Msg)
					}
				}
			}
		}
		if len(pkgs) == 0 {
			return fmt.Errorf("%w: the model package patterns %q match no package in %s", ErrNoPackage, patterns, cfg.Dir)
		}
	}
	if compileErr || listErr {
		return errCompile
	}
	return nil
}

// errCompile tells Load to let the compiler report the errors verbatim.
var errCompile = errors.New("the model packages do not compile")

// modelTypes returns the sorted names of pkg's model types, of its other
// exported named struct types, and the struct types embedding
// bun.BaseModel that the generated program cannot load (unexported or
// generic), each with the reason, unless an exported model embeds them:
// those are the shared base structs bun users write, not tables.
func modelTypes(pkg *types.Package) (names, others, skipped []string) {
	if pkg == nil {
		return nil, nil, nil
	}
	scope := pkg.Scope()
	var hidden []*types.TypeName
	embedded := map[*types.Struct]bool{}
	for _, name := range scope.Names() {
		tn, ok := scope.Lookup(name).(*types.TypeName)
		if !ok || tn.IsAlias() {
			continue
		}
		named, ok := tn.Type().(*types.Named)
		if !ok {
			continue
		}
		st, ok := named.Underlying().(*types.Struct)
		if !ok {
			continue
		}
		generic := named.TypeParams().Len() > 0
		if !embedsBaseModel(st, map[*types.Struct]bool{}) {
			if tn.Exported() && !generic {
				others = append(others, name)
			}
			continue
		}
		if !tn.Exported() || generic {
			hidden = append(hidden, tn)
			continue
		}
		names = append(names, name)
		markEmbedded(st, embedded)
	}
	for _, tn := range hidden {
		if embedded[tn.Type().Underlying().(*types.Struct)] {
			continue
		}
		why := unexportedWhy
		if tn.Type().(*types.Named).TypeParams().Len() > 0 {
			why = "it is generic; declare a named instance such as type X struct{ " + tn.Name() + "[T] } if it is a table, or embed it in an exported model if it is a base"
		}
		skipped = append(skipped, tn.Name()+": "+why)
	}
	return names, others, skipped
}

const unexportedWhy = "it is unexported, so autogen cannot name it; export it or list it in the package's Models if it is a table, or embed it in an exported model if it is a base"

// markEmbedded records every struct st embeds, transitively.
func markEmbedded(st *types.Struct, seen map[*types.Struct]bool) {
	for i := 0; i < st.NumFields(); i++ {
		if !st.Field(i).Embedded() {
			continue
		}
		t := embeddedType(st.Field(i))
		if named, ok := t.(*types.Named); ok {
			t = named.Origin()
		}
		if inner, ok := t.Underlying().(*types.Struct); ok && !seen[inner] {
			seen[inner] = true
			markEmbedded(inner, seen)
		}
	}
}

// embeddedType is an embedded field's type, through an alias and a
// pointer (bun embeds *T as it embeds T).
func embeddedType(f *types.Var) types.Type {
	t := types.Unalias(f.Type())
	if p, ok := t.(*types.Pointer); ok {
		t = types.Unalias(p.Elem())
	}
	return t
}

// embedsBaseModel reports whether st embeds bun.BaseModel, directly or
// through embedded structs (by value or pointer).
func embedsBaseModel(st *types.Struct, seen map[*types.Struct]bool) bool {
	if seen[st] {
		return false
	}
	seen[st] = true
	for i := 0; i < st.NumFields(); i++ {
		if !st.Field(i).Embedded() {
			continue
		}
		t := embeddedType(st.Field(i))
		if named, ok := t.(*types.Named); ok && isBaseModel(named.Obj()) {
			return true
		}
		if inner, ok := t.Underlying().(*types.Struct); ok && embedsBaseModel(inner, seen) {
			return true
		}
	}
	return false
}

func isBaseModel(obj *types.TypeName) bool {
	if obj.Name() != "BaseModel" || obj.Pkg() == nil {
		return false
	}
	for _, p := range bunBaseModels {
		if obj.Pkg().Path() == p {
			return true
		}
	}
	return false
}
