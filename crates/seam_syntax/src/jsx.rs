//! Where a comment on its own line must be written as a JSX expression: among the children of a
//! JSX element, `// x` and `/* x */` are text, and only `{/* x */}` is a comment.

use std::path::Path;

use swc_common::Spanned;
use swc_ecma_ast::{JSXElement, JSXElementChild, JSXFragment};
use swc_ecma_visit::{Visit, VisitWith};

use crate::parse::{parse, BASE};

/// True when the code at `offset` (the first character of a line's code) begins a child of a
/// JSX element or fragment: a nested element, an `{expression}`, or text. False when the file
/// does not parse.
pub fn starts_jsx_child(path: &Path, source: &str, offset: u32) -> bool {
    crate::on_text(source, || starts_jsx_child_here(path, source, offset))
}

fn starts_jsx_child_here(path: &Path, source: &str, offset: u32) -> bool {
    let Ok(parsed) = parse(path, source) else {
        return false;
    };
    let mut finder = ChildAt {
        at: offset + BASE,
        source,
        found: false,
    };
    parsed.program.visit_with(&mut finder);
    finder.found
}

struct ChildAt<'a> {
    /// In swc positions (`BASE` + byte offset).
    at: u32,
    source: &'a str,
    found: bool,
}

impl ChildAt<'_> {
    fn children(&mut self, children: &[JSXElementChild]) {
        for child in children {
            let span = child.span();
            let starts_here = match child {
                // Text runs from the end of the previous child, line breaks and indentation
                // included: the line's code starts inside it.
                JSXElementChild::JSXText(_) => {
                    span.lo.0 <= self.at
                        && self.at < span.hi.0
                        && self
                            .source
                            .as_bytes()
                            .get((self.at - BASE) as usize)
                            .is_some_and(|b| !b.is_ascii_whitespace())
                }
                _ => span.lo.0 == self.at,
            };
            self.found |= starts_here;
        }
    }
}

impl Visit for ChildAt<'_> {
    fn visit_jsx_element(&mut self, element: &JSXElement) {
        self.children(&element.children);
        element.visit_children_with(self);
    }

    fn visit_jsx_fragment(&mut self, fragment: &JSXFragment) {
        self.children(&fragment.children);
        fragment.visit_children_with(self);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(source: &str, needle: &str) -> bool {
        let offset = source.find(needle).expect("needle") as u32;
        starts_jsx_child(Path::new("page.tsx"), source, offset)
    }

    #[test]
    fn children_need_braces_attributes_and_code_do_not() {
        let source = "export default function Page() {\n  const x = 1;\n  return (\n    <div>\n      <form\n        action={save}\n      />\n      {items.map((i) => <p key={i}>{i}</p>)}\n      plain text\n      <>\n        <span />\n      </>\n    </div>\n  );\n}\n";
        assert!(at(source, "<form"));
        assert!(at(source, "{items.map"));
        assert!(at(source, "plain text"));
        assert!(at(source, "<span"));
        // An attribute line, the element itself, statements: a `//` comment is fine there.
        assert!(!at(source, "action={save}"));
        assert!(!at(source, "<div>"));
        assert!(!at(source, "const x"));
        assert!(!at(source, "return ("));
    }

    #[test]
    fn unparsable_text_is_not_jsx() {
        assert!(!starts_jsx_child(Path::new("a.tsx"), "<div>\n  <p>\n", 8));
    }
}
