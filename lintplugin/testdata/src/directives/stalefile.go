//cgoguard:file-ignore cgofree nothing here to suppress // want "^cgofree: //cgoguard:file-ignore suppresses no cgofree finding in this file"

// A plain Go file: its directives are read from its own syntax tree.
package directives

//cgoguard:file-ignore cgomap,cgofree no reason needed? yes, one is given // want "^cgofree: //cgoguard:file-ignore suppresses no cgofree finding in this file" "^cgomap: //cgoguard:file-ignore suppresses no cgomap finding in this file"

// want +1 `^cgoguard: //cgoguard:file-ignore cgofree needs a reason`
//cgoguard:file-ignore cgofree

func plain() int { return 1 } //cgoguard:ignore cgofree nothing to hide // want "^cgofree: //cgoguard:ignore suppresses no cgofree finding"
