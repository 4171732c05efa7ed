package dev.callanalytics.testing;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** CSV as a spreadsheet reads it (RFC 4180), and how a row of an export compares with a call of the search. */
public final class Csv {

    private Csv() {
    }

    /** Quoted cells may hold commas, quotes (doubled) and line breaks; every row ends with CRLF. */
    public static List<List<String>> parse(String text) {
        var rows = new ArrayList<List<String>>();
        var row = new ArrayList<String>();
        var cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cell.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                row.add(cell.toString());
                cell.setLength(0);
            } else if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                row.add(cell.toString());
                cell.setLength(0);
                rows.add(row);
                row = new ArrayList<>();
                i++;
            } else {
                cell.append(c);
            }
        }
        assertFalse(quoted, "an unterminated quote");
        assertEquals(0, cell.length() + row.size(), "the last row ends with CRLF");
        return rows;
    }

    /** A CSV row equals the search's record: text as given (formula starts neutralised), numbers by value, null empty. */
    public static void assertRowIs(List<String> header, List<String> row, JsonNode call) {
        assertEquals(header.size(), row.size());
        for (int c = 0; c < header.size(); c++) {
            var value = call.get(header.get(c));
            var cell = row.get(c);
            if (value.isNull()) {
                assertEquals("", cell, header.get(c));
            } else if (value.isNumber()) {
                assertEquals(0, value.decimalValue().compareTo(new BigDecimal(cell)), header.get(c) + ": " + cell);
            } else {
                var text = value.asText();
                assertEquals(!text.isEmpty() && "=+-@\t\r".indexOf(text.charAt(0)) >= 0 ? "'" + text : text, cell, header.get(c));
            }
        }
    }
}
