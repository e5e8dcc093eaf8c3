package io.plantmesh.erp.embedded;

import static io.plantmesh.erp.embedded.TestPlant.DOCUMENTS;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** SAP Gateway's Basic authentication and CSRF token protocol. */
class CsrfAndAuthenticationTest extends ErpFixture {

    @Test
    void aPostWithoutATokenIsRefusedWith403RequiredAndNothingIsPosted() {
        ErpClient.Response refused = client.postWith(DOCUMENTS, TestPlant.goodsIssue("RM-100", "1"), "no-token",
            null);

        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.header("x-csrf-token")).isEqualTo("Required");
        assertThat(refused.text()).isEqualTo("CSRF token validation failed");
        assertThat(TestPlant.stock(client, "RM-100")).isEqualByComparingTo("100");
    }

    @Test
    void aWrongTokenIsRefusedAndAFetchedOneIsAccepted() {
        assertThat(client.postWith(DOCUMENTS, TestPlant.goodsIssue("RM-100", "1"), "wrong-token", "not-the-token")
            .status()).isEqualTo(403);

        String token = client.fetchToken("API_MATERIAL_DOCUMENT_SRV");
        assertThat(token).isNotBlank().isNotEqualTo("Required");
        assertThat(client.fetchToken("API_PROD_ORDER_CONFIRMATION_2_SRV")).as("one token per user").isEqualTo(token);

        ErpClient.Response accepted = client.postWith(DOCUMENTS, TestPlant.goodsIssue("RM-100", "1"), "with-token",
            token);
        assertThat(accepted.status()).isEqualTo(201);
        assertThat(TestPlant.stock(client, "RM-100")).isEqualByComparingTo("99");
    }

    @Test
    void aTokenOfAnEarlierRunIsRefusedAfterARestart() {
        String token = client.fetchToken("API_MATERIAL_DOCUMENT_SRV");
        restartErp();

        ErpClient.Response stale = client.postWith(DOCUMENTS, TestPlant.goodsIssue("RM-100", "1"), "stale", token);

        assertThat(stale.status()).isEqualTo(403);
        assertThat(stale.header("x-csrf-token")).isEqualTo("Required");
    }

    @Test
    void requestsWithoutOrWithWrongCredentialsAre401() {
        ErpClient.Response anonymous = client.getAnonymous(TestPlant.STOCK);
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.header("WWW-Authenticate")).startsWith("Basic");

        ErpClient intruder = new ErpClient(erp.baseUri(), ErpConfig.DEFAULT_USER, "guess");
        assertThat(intruder.get(TestPlant.STOCK).status()).isEqualTo(401);
        assertThat(intruder.fetchToken("API_MATERIAL_DOCUMENT_SRV")).isNull();
    }
}
