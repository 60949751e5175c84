package io.kwire.generator;

/** Builds indented Java source text; a line ending in '{' indents the next lines, one starting with '}' outdents. */
final class CodeWriter {

    private final StringBuilder sb = new StringBuilder();
    private int indent;

    /** Appends a statement; the lines after the first of a multi-line text are continuation lines. */
    CodeWriter line(String text) {
        int nl = text.indexOf('\n');
        if (nl >= 0) {
            line(text.substring(0, nl));
            for (String more : text.substring(nl + 1).split("\n")) {
                sb.append("    ".repeat(Math.max(0, indent + 2))).append(more.strip()).append('\n');
            }
            return this;
        }
        String t = text.strip();
        if (t.startsWith("}") || t.startsWith(")")) {
            indent--;
        }
        if (!t.isEmpty()) {
            sb.append("    ".repeat(Math.max(0, indent))).append(t);
        }
        sb.append('\n');
        if (t.endsWith("{")) {
            indent++;
        }
        return this;
    }

    /** A javadoc comment, wrapped to keep lines short. */
    CodeWriter javadoc(String text) {
        if (text.length() <= 100) {
            return line("/** " + text + " */");
        }
        line("/**");
        StringBuilder current = new StringBuilder();
        for (String word : text.split(" ")) {
            if (current.length() > 0 && current.length() + word.length() > 100) {
                raw(" * " + current);
                current.setLength(0);
            }
            if (current.length() > 0) {
                current.append(' ');
            }
            current.append(word);
        }
        if (current.length() > 0) {
            raw(" * " + current);
        }
        return raw(" */");
    }

    private CodeWriter raw(String text) {
        sb.append("    ".repeat(Math.max(0, indent))).append(text).append('\n');
        return this;
    }

    CodeWriter blank() {
        sb.append('\n');
        return this;
    }

    @Override
    public String toString() {
        return sb.toString();
    }
}
