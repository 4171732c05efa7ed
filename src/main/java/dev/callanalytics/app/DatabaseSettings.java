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

    public static String mask(String url) {
        return USER_INFO.matcher(PASSWORD_PARAMETER.matcher(url).replaceAll("$1***")).replaceAll("$1***@");
    }
}
