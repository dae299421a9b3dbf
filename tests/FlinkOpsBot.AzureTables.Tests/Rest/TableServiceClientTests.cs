using System.Net;
using Azure.Core;
using Azure.Core.Pipeline;
using FlinkOpsBot.AzureTables.Rest;
using FlinkOpsBot.Testing;

namespace FlinkOpsBot.AzureTables.Tests.Rest;

public sealed class TableServiceClientTests
{
    [Fact]
    public async Task TokenCredential_Request_CarriesBearerTokenForStorageScopeAndServiceHeaders()
    {
        var credential = new RecordingCredential();
        var handler = new RecordingHandler();
        var options = new TableServiceClientOptions(new TableStorageOptions()) { Transport = new HttpClientTransport(new HttpClient(handler)) };
        var service = new TableServiceClient(new Uri("https://prodbot.table.core.windows.net/"), credential, options, new ManualTimeProvider());

        await service.GetTableClient("flinkopsbotruns").CreateIfNotExistsAsync(CancellationToken.None);

        var request = Assert.Single(handler.Requests);
        Assert.Equal(new Uri("https://prodbot.table.core.windows.net/Tables"), request.RequestUri);
        Assert.Equal("Bearer token-1", request.Headers.Authorization?.ToString());
        Assert.Equal(["https://storage.azure.com/.default"], credential.Scopes);
        Assert.Equal("Thu, 15 Jan 2026 09:00:00 GMT", Assert.Single(request.Headers.GetValues("x-ms-date")));
        Assert.Equal("2019-02-02", Assert.Single(request.Headers.GetValues("x-ms-version")));
        Assert.Equal("application/json;odata=nometadata", Assert.Single(request.Headers.GetValues("Accept")).Replace(" ", "", StringComparison.Ordinal));
    }

    private sealed class RecordingCredential : TokenCredential
    {
        public List<string> Scopes { get; } = [];

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            Scopes.AddRange(requestContext.Scopes);
            return new AccessToken("token-1", new DateTimeOffset(2100, 1, 1, 0, 0, 0, TimeSpan.Zero));
        }

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }

    private sealed class RecordingHandler : HttpMessageHandler
    {
        public List<HttpRequestMessage> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Add(request);
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.NoContent));
        }
    }
}
