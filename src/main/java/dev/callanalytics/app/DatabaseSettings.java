package dev.callanalytics.app;

import java.util.regex.Pattern;

/** Where the database is, and the credentials to reach it. */
public record DatabaseSettings(String url, String user, String password) {

    private static final Pattern PASSWORD_PARAMETER = Pattern.compile("(?i)(password=)[^&;]*");
    private static final Pattern USER_INFO = Pattern.compile("(//[^/@:]*:)[^/@]*@");

    /** The URL as it may be printed or logged: a password in it (parameter or user info) masked. */
    public String maskedUrl() {
        return mask(url);
    }

    private static final Pattern JDBC_URL = Pattern.compile("jdbc:postgresql://([^/:?]+)(?::(\\d+))?/([^?]*).*");

    /**
     * A psql command line reaching this database as {@code role} with {@code password}, for
     * people; the settings' own URL when it is not one psql understands as host, port and name.
     */
    public String psqlLine(String role, String password) {
        var url = JDBC_URL.matcher(this.url);
        var target = url.matches()
                ? "host=" + url.group(1) + " port=" + (url.group(2) == null ? "5432" : url.group(2)) + " dbname=" + url.group(3)
                : maskedUrl();
        return "PGPASSWORD='" + password + "' psql \"" + target + " user=" + role + "\"";
    }

    /** The port of the URL (5432 when it names none). */
    public int port() {
        var url = JDBC_URL.matcher(this.url);
        return url.matches() && url.group(2) != null ? Integer.parseInt(url.group(2)) : 5432;
    }

    public static String mask(String url) {
        return USER_INFO.matcher(PASSWORD_PARAMETER.matcher(url).replaceAll("$1***")).replaceAll("$1***@");
    }
}
