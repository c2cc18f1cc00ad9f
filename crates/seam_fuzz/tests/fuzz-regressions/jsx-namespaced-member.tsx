// swc_ecma_parser 47 panicked here (unreachable!: JSXNamespacedName -> JSXObject).
export const x = <a:b.c />;
export const y = <a></a:b.c>;
