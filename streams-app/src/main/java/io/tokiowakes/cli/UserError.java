package io.tokiowakes.cli;

/** Something the user can fix (a missing file, a bad setting): printed as one line, exit code 2. */
public class UserError extends RuntimeException {
    public UserError(String message) {
        super(message);
    }
}
