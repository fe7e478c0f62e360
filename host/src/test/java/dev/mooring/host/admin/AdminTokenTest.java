package dev.mooring.host.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where {@link AdminToken#resolve} finds the token, and its errors for a token file it cannot use. */
class AdminTokenTest {

    @TempDir
    Path data;

    @Test
    void missingTokenFileSaysHowToCreate() {
        Path tokenFile = data.resolve("no-such-token");

        String message = assertThrows(IllegalArgumentException.class,
                () -> AdminToken.resolve(null, tokenFile, data)).getMessage();

        assertTrue(message.startsWith("The admin token file " + tokenFile + " does not exist."), message);
        assertTrue(message.contains("openssl rand -hex 32 > " + tokenFile), message);
        assertTrue(message.contains("leave out --admin-token-file"), message);
        assertFalse(Files.exists(data.resolve(AdminToken.FILE_NAME)), "a token was generated instead");
    }

    @Test
    void firstStartGeneratesAndStores() throws Exception {
        AdminToken token = AdminToken.resolve(null, null, data);

        assertEquals(AdminToken.Source.GENERATED, token.source());
        assertEquals(token.generatedValue(), Files.readString(data.resolve(AdminToken.FILE_NAME)).strip());
        assertEquals(AdminToken.Source.STORED, AdminToken.resolve(null, null, data).source());
    }
}
