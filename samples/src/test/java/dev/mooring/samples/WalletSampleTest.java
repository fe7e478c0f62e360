package dev.mooring.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The wallet sample through {@code ./mooring dev}: the Worker checks HMAC tokens with Web Crypto
 * and changes each account's balance over JS RPC, where a failed withdrawal arrives as the
 * object's RangeError.
 */
class WalletSampleTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path data;

    private final HttpClient client = HttpClient.newHttpClient();

    @Test
    void tokenHolderDepositsAndWithdrawsWithinTheBalance() throws Exception {
        try (LauncherProcess server = startSample()) {
            int port = server.awaitPort(Duration.ofSeconds(90));
            String token = token(port, "ada");

            HttpResponse<String> deposit = send(port, "POST", "/accounts/ada/deposit?amount=500", token);
            HttpResponse<String> withdrawal = send(port, "POST", "/accounts/ada/withdraw?amount=200", token);
            HttpResponse<String> overdraft = send(port, "POST", "/accounts/ada/withdraw?amount=301", token);
            HttpResponse<String> balance = send(port, "GET", "/accounts/ada", null);

            assertEquals(200, deposit.statusCode(), deposit.body() + server.output());
            assertEquals(500, JSON.readTree(deposit.body()).get("balance").asLong());
            assertEquals(300, JSON.readTree(withdrawal.body()).get("balance").asLong(), withdrawal.body());
            assertEquals(409, overdraft.statusCode(), overdraft.body());
            assertEquals("Insufficient funds: the balance is 300, the withdrawal 301.\n", overdraft.body());
            assertEquals(300, JSON.readTree(balance.body()).get("balance").asLong(), balance.body());
        }
    }

    @Test
    void concurrentWithdrawalsNeverOverdraw() throws Exception {
        try (LauncherProcess server = startSample()) {
            int port = server.awaitPort(Duration.ofSeconds(90));
            String token = token(port, "bob");
            send(port, "POST", "/accounts/bob/deposit?amount=10", token);

            List<CompletableFuture<HttpResponse<String>>> withdrawals = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                withdrawals.add(client.sendAsync(request(port, "POST", "/accounts/bob/withdraw?amount=1", token),
                        HttpResponse.BodyHandlers.ofString()));
            }
            long succeeded = 0;
            for (CompletableFuture<HttpResponse<String>> withdrawal : withdrawals) {
                int status = withdrawal.get().statusCode();
                assertTrue(status == 200 || status == 409, "status " + status + ": " + withdrawal.get().body());
                succeeded += status == 200 ? 1 : 0;
            }

            assertEquals(10, succeeded, "exactly the balance is paid out");
            assertEquals(0, JSON.readTree(send(port, "GET", "/accounts/bob", null).body()).get("balance").asLong());
        }
    }

    @Test
    void badTokensAndAmountsAreRejected() throws Exception {
        try (LauncherProcess server = startSample()) {
            int port = server.awaitPort(Duration.ofSeconds(90));
            String adaToken = token(port, "ada");
            String forged = adaToken.substring(0, adaToken.length() - 2) + (adaToken.endsWith("AA") ? "BB" : "AA");

            HttpResponse<String> none = send(port, "POST", "/accounts/ada/deposit?amount=5", null);
            HttpResponse<String> tampered = send(port, "POST", "/accounts/ada/deposit?amount=5", forged);
            HttpResponse<String> foreign = send(port, "POST", "/accounts/eve/deposit?amount=5", adaToken);
            HttpResponse<String> fraction = send(port, "POST", "/accounts/ada/deposit?amount=1.5", adaToken);

            assertEquals(401, none.statusCode(), none.body());
            assertEquals(401, tampered.statusCode(), tampered.body());
            assertEquals(401, foreign.statusCode(), "a token opens only its own account");
            assertEquals(400, fraction.statusCode(), fraction.body());
            assertEquals("The amount must be a positive whole number of cents, not 1.5.\n", fraction.body());
        }
    }

    /** Starts {@code ./mooring dev samples/wallet} on a free port with this test's data folder. */
    private LauncherProcess startSample() throws IOException {
        Path project = LauncherProcess.repository().resolve("samples/wallet");
        return LauncherProcess.start("dev", project.toString(), "--port", "0", "--data", data.toString(), "--warmup", "0s");
    }

    private String token(int port, String account) throws Exception {
        HttpResponse<String> response = send(port, "POST", "/accounts/" + account + "/token", null);
        assertEquals(201, response.statusCode(), response.body());
        return JSON.readTree(response.body()).get("token").asText();
    }

    private HttpRequest request(int port, String method, String path, String token) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder.build();
    }

    private HttpResponse<String> send(int port, String method, String path, String token) throws Exception {
        return client.send(request(port, method, path, token), HttpResponse.BodyHandlers.ofString());
    }
}
