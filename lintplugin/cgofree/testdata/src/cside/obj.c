#include <stdlib.h>
#include <stdio.h>

typedef struct obj { char *name; int n; } obj;

obj *obj_new(void) { return calloc(1, sizeof(obj)); }

void obj_destroy(obj *o) {
	if (o == NULL)
		return;
	free(o->name);
	free(o);
}

void obj_reset(obj *o) {
	free(o->name);
	o->name = NULL;
	o->n = 0;
}

void obj_print(obj *o) { printf("%d\n", o->n); }
