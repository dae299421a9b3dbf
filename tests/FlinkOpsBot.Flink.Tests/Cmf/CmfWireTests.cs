using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using FlinkOpsBot.Core.Platforms;
using FlinkOpsBot.Flink.Cmf;
using FlinkOpsBot.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace FlinkOpsBot.Flink.Tests.Cmf;

/// <summary>
/// The CMF client's protocol handling where FlinkSim cannot show it: credentials on the wire, status codes of other CMF
/// versions, error bodies that are not CMF's. A stub handler stands in for CMF and the token endpoint.
/// </summary>
public class CmfWireTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task BearerWithTokenEndpoint_FetchesATokenOnceAndSendsItOnEveryCall()
    {
        var tokenCalls = new List<HttpRequestMessage>();
        var token = new StubHandler(request =>
        {
            tokenCalls.Add(request);
            return Json(HttpStatusCode.OK, """{"access_token":"tok-123","expires_in":300,"token_type":"Bearer"}""");
        });
        var cmf = new StubHandler(_ => Json(HttpStatusCode.OK, """{"items":[]}"""));
        await using var services = Services(cmf, token);
        var auth = new CmfAuthOptions { Mode = CmfAuthMode.Bearer, TokenEndpoint = "https://idp.test/oauth2/token", ClientId = "bot", ClientSecret = "s3cret", Scope = "cmf" };
        var platform = services.GetRequiredService<FlinkPlatformFactory>().CreateCmf("stub", new Uri("http://cmf.test:8080"), "prod", auth);

        await platform.ListJobsAsync(None);
        await platform.ListJobsAsync(None);

        Assert.Single(tokenCalls);
        Assert.Equal("Basic", tokenCalls[0].Headers.Authorization?.Scheme);
        Assert.Contains("grant_type=client_credentials", cmf.Bodies.Concat(token.Bodies).Single(b => b.Contains("grant_type", StringComparison.Ordinal)));
        Assert.All(cmf.Requests, r => Assert.Equal("Bearer tok-123", r.Headers.Authorization?.ToString()));
        Assert.All(cmf.Requests, r => Assert.StartsWith("/cmf/api/v1/environments/prod/applications", r.RequestUri!.AbsolutePath, StringComparison.Ordinal));
    }

    [Fact]
    public async Task BearerWithStaticToken_SendsIt()
    {
        var cmf = new StubHandler(_ => Json(HttpStatusCode.OK, """{"items":[]}"""));
        await using var services = Services(cmf);
        var platform = services.GetRequiredService<FlinkPlatformFactory>().CreateCmf("stub", new Uri("http://cmf.test"), "prod",
            new CmfAuthOptions { Mode = CmfAuthMode.Bearer, Token = "mds-token" });

        await platform.ListJobsAsync(None);

        Assert.Equal("Bearer mds-token", Assert.Single(cmf.Requests).Headers.Authorization?.ToString());
    }

    [Fact]
    public async Task TokenEndpointRefuses_CallFailsWith401NamingTheClient()
    {
        var token = new StubHandler(_ => Json(HttpStatusCode.BadRequest, """{"error":"invalid_client"}"""));
        var cmf = new StubHandler(_ => Json(HttpStatusCode.OK, """{"items":[]}"""));
        await using var services = Services(cmf, token);
        var platform = services.GetRequiredService<FlinkPlatformFactory>().CreateCmf("stub", new Uri("http://cmf.test"), "prod",
            new CmfAuthOptions { Mode = CmfAuthMode.Bearer, TokenEndpoint = "https://idp.test/token", ClientId = "bot", ClientSecret = "wrong" });

        var e = await Assert.ThrowsAsync<CmfApiException>(() => platform.ListJobsAsync(None));

        Assert.Equal(401, e.StatusCode);
        Assert.Contains("'bot'", e.Message);
        Assert.DoesNotContain("wrong", e.Message);
        Assert.Empty(cmf.Requests);
    }

    [Theory]
    [InlineData(HttpStatusCode.OK)]
    [InlineData(HttpStatusCode.Created)]
    [InlineData(HttpStatusCode.Accepted)]
    [InlineData(HttpStatusCode.NoContent)]
    public async Task DeleteStatementAsync_AnySuccessStatus_Succeeds(HttpStatusCode status)
    {
        var cmf = new StubHandler(_ => new HttpResponseMessage(status));
        await using var services = Services(cmf);
        var sql = (ISqlPlatform)services.GetRequiredService<FlinkPlatformFactory>().CreateCmf("stub", new Uri("http://cmf.test"), "prod");

        await sql.DeleteStatementAsync("orders-agg", None);

        Assert.Equal(HttpMethod.Delete, Assert.Single(cmf.Requests).Method);
    }

    [Fact]
    public async Task ErrorBody_CmfShape_BecomesCmfApiExceptionWithTheFirstLineOfTheMessage()
    {
        var cmf = new StubHandler(_ => Json(HttpStatusCode.UnprocessableEntity,
            """{"errors":[{"message":"Statement spec is invalid: computePoolName 'x' not found.\n\tat io.confluent.cmf..."}]}"""));
        await using var services = Services(cmf);
        var sql = (ISqlPlatform)services.GetRequiredService<FlinkPlatformFactory>().CreateCmf("stub", new Uri("http://cmf.test"), "prod");

        var e = await Assert.ThrowsAsync<CmfApiException>(() => sql.CreateStatementAsync(new StatementRequest("orders-agg", "SELECT 1", "x", null, null, null), None));

        Assert.Equal(422, e.StatusCode);
        Assert.Equal("Statement spec is invalid: computePoolName 'x' not found.", e.Message);
        Assert.Single(cmf.Requests); // a POST is never retried
    }

    [Fact]
    public async Task ErrorBody_HtmlFromAProxy_NamesTheStatusInstead()
    {
        var cmf = new StubHandler(_ => new HttpResponseMessage(HttpStatusCode.Forbidden) { Content = new StringContent("<html><body>denied</body></html>", Encoding.UTF8, "text/html") });
        await using var services = Services(cmf);
        var platform = services.GetRequiredService<FlinkPlatformFactory>().CreateCmf("stub", new Uri("http://cmf.test"), "prod");

        var e = await Assert.ThrowsAsync<CmfApiException>(() => platform.ListJobsAsync(None));

        Assert.Equal(403, e.StatusCode);
        Assert.Equal("CMF answered 403 (Forbidden) without an error message.", e.Message);
    }

    [Fact]
    public async Task KafkaDatabase_Cmf22FieldName_IsReadAsDdlEnvironments()
    {
        var cmf = new StubHandler(_ => Json(HttpStatusCode.OK,
            """{"kind":"KafkaDatabase","metadata":{"name":"kafka-1"},"spec":{"kafkaCluster":{"connectionConfig":{"bootstrap.servers":"k:9092"}},"alterEnvironments":["prod"],"futureField":{"x":1}}}"""));
        await using var services = Services(cmf);
        var sql = (ISqlPlatform)services.GetRequiredService<FlinkPlatformFactory>().CreateCmf("stub", new Uri("http://cmf.test"), "prod");

        var database = await sql.GetDatabaseAsync("kafka-cat", "kafka-1", None);

        Assert.Equal(["prod"], database!.DdlEnvironments);
        Assert.Equal("k:9092", database.BootstrapServers);
    }

    [Fact]
    public async Task ListJobsAsync_SeveralPages_ReadsUntilAnEmptyPage()
    {
        var cmf = new StubHandler(request =>
        {
            var page = request.RequestUri!.Query.Contains("page=0", StringComparison.Ordinal) ? 0 : request.RequestUri.Query.Contains("page=1", StringComparison.Ordinal) ? 1 : 2;
            return Json(HttpStatusCode.OK, page == 2 ? """{"items":[]}"""
                : """{"items":[{"metadata":{"name":"app-P"},"status":{"jobStatus":{"jobId":"P0000000000000000000000000000000","state":"RUNNING","startTime":"1700000000000"}}}]}""".Replace("P", page.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));
        });
        await using var services = Services(cmf);
        var platform = services.GetRequiredService<FlinkPlatformFactory>().CreateCmf("stub", new Uri("http://cmf.test"), "prod");

        var jobs = await platform.ListJobsAsync(None);

        Assert.Equal(["app-0", "app-1"], jobs.Select(j => j.Name));
        Assert.Equal(3, cmf.Requests.Count);
    }

    [Fact]
    public void CreateTlsHandler_MutualTls_PresentsTheClientCertificate()
    {
        using var dir = new TempDirectory();
        var (cert, key) = dir.WriteSelfSigned("CN=flinkopsbot");
        var handler = CmfHttpClientSetup.CreateTlsHandler(new CmfAuthOptions { Mode = CmfAuthMode.MutualTls, ClientCertificatePath = cert, ClientKeyPath = key, CaCertificatePath = cert });

        var presented = Assert.Single(handler.SslOptions.ClientCertificates!.Cast<X509Certificate2>());
        Assert.Equal("CN=flinkopsbot", presented.Subject);
        Assert.True(presented.HasPrivateKey);
        Assert.NotNull(handler.SslOptions.RemoteCertificateValidationCallback);
    }

    [Fact]
    public void Problems_EachModeNamesTheMissingSetting()
    {
        using var dir = new TempDirectory();
        var (cert, key) = dir.WriteSelfSigned("CN=x");

        Assert.Empty(new CmfAuthOptions().Problems("A"));
        Assert.Empty(new CmfAuthOptions { Mode = CmfAuthMode.MutualTls, ClientCertificatePath = cert, ClientKeyPath = key }.Problems("A"));
        Assert.Contains("A:ClientKeyPath is required", Assert.Single(new CmfAuthOptions { Mode = CmfAuthMode.MutualTls, ClientCertificatePath = cert }.Problems("A")));
        Assert.Contains("does not exist", Assert.Single(new CmfAuthOptions { Mode = CmfAuthMode.MutualTls, ClientCertificatePath = cert, ClientKeyPath = "/nope.pem" }.Problems("A")));
        Assert.Contains("do not hold a PEM certificate", Assert.Single(new CmfAuthOptions { Mode = CmfAuthMode.MutualTls, ClientCertificatePath = key, ClientKeyPath = cert }.Problems("A")));
        Assert.Contains("A:Token", Assert.Single(new CmfAuthOptions { Mode = CmfAuthMode.Bearer }.Problems("A")));
        Assert.Empty(new CmfAuthOptions { Mode = CmfAuthMode.Bearer, Token = "t" }.Problems("A"));
        var oauth = new CmfAuthOptions { Mode = CmfAuthMode.Bearer, TokenEndpoint = "idp.test/token" }.Problems("A");
        Assert.Equal(3, oauth.Count);
        Assert.Contains(oauth, p => p.StartsWith("A:TokenEndpoint must be an absolute", StringComparison.Ordinal));
        Assert.Contains(oauth, p => p.StartsWith("A:ClientId is required", StringComparison.Ordinal));
        Assert.Contains(oauth, p => p.StartsWith("A:ClientSecret is required", StringComparison.Ordinal));
    }

    private static ServiceProvider Services(StubHandler cmf, StubHandler? token = null)
    {
        var services = new ServiceCollection()
            .AddSingleton(TimeProvider.System)
            .AddFlinkPlatforms(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["RetryBaseDelay"] = "00:00:00.001" }).Build());
        services.AddHttpClient(FlinkPlatformFactory.CmfHttpClientNamePrefix + "stub").ConfigurePrimaryHttpMessageHandler(() => cmf);
        if (token is not null) services.AddHttpClient(CmfConnections.TokenClientName).ConfigurePrimaryHttpMessageHandler(() => token);
        return services.BuildServiceProvider();
    }

    private static HttpResponseMessage Json(HttpStatusCode status, string body) =>
        new(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };

    /// <summary>Answers with a function of the request; records requests and their bodies.</summary>
    private sealed class StubHandler(Func<HttpRequestMessage, HttpResponseMessage> answer) : HttpMessageHandler
    {
        public List<HttpRequestMessage> Requests { get; } = [];

        public List<string> Bodies { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Add(request);
            Bodies.Add(request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken));
            var response = answer(request);
            response.RequestMessage = request;
            return response;
        }
    }

    private sealed class TempDirectory : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("cmf-tls-").FullName;

        public (string Cert, string Key) WriteSelfSigned(string subject)
        {
            using var rsa = RSA.Create(2048);
            var request = new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UnixEpoch.AddYears(40), DateTimeOffset.UnixEpoch.AddYears(80));
            var cert = System.IO.Path.Combine(Path, "client.pem");
            var key = System.IO.Path.Combine(Path, "client.key");
            File.WriteAllText(cert, certificate.ExportCertificatePem());
            File.WriteAllText(key, rsa.ExportPkcs8PrivateKeyPem());
            return (cert, key);
        }

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
