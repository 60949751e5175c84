package io.kwire.generator;

/** Builds indented Java source text; a line ending in '{' indents the next lines, one starting with '}' outdents. */
final class CodeWriter {

    private final StringBuilder sb = new StringBuilder();
    private int indent;

    CodeWriter line(String text) {
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

    CodeWriter blank() {
        sb.append('\n');
        return this;
    }

    @Override
    public String toString() {
        return sb.toString();
    }
}
