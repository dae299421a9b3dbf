using System.Net;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace FlinkOpsBot.Flink.Tests;

public class FlinkPlatformFactoryTests
{
    [Theory]
    [InlineData("https://gateway.example.com/flink/prod-eu")]
    [InlineData("https://gateway.example.com/flink/prod-eu/")]
    public async Task Create_ProxyPathAndBearerToken_SendsTokenToTheV1PathUnderTheProxyPath(string baseUrl)
    {
        var recorder = new RecordingHandler("""{"flink-version":"1.20.1","taskmanagers":2,"slots-total":8,"slots-available":3}""");
        var services = new ServiceCollection().AddFlinkPlatforms(new ConfigurationBuilder().Build());
        services.AddHttpClient(FlinkPlatformFactory.HttpClientNamePrefix + "prod-eu").ConfigurePrimaryHttpMessageHandler(() => recorder);
        await using var provider = services.BuildServiceProvider();

        var overview = await provider.GetRequiredService<FlinkPlatformFactory>()
            .Create("prod-eu", new Uri(baseUrl), bearerToken: "s3cr3t")
            .GetOverviewAsync(CancellationToken.None);

        Assert.Equal("1.20.1", overview.FlinkVersion);
        var request = Assert.Single(recorder.Requests);
        Assert.Equal(new Uri("https://gateway.example.com/flink/prod-eu/v1/overview"), request.RequestUri);
        Assert.Equal("Bearer s3cr3t", request.Headers.Authorization?.ToString());
    }

    [Theory]
    [InlineData("/relative/path")]
    [InlineData("ftp://flink-jobmanager:8081")]
    public void Create_NotAnAbsoluteHttpUrl_Throws(string url)
    {
        using var services = new ServiceCollection().AddFlinkPlatforms(new ConfigurationBuilder().Build()).BuildServiceProvider();
        var factory = services.GetRequiredService<FlinkPlatformFactory>();

        Assert.Throws<ArgumentException>(() => factory.Create("prod-eu", new Uri(url, UriKind.RelativeOrAbsolute)));
    }

    private sealed class RecordingHandler(string body) : HttpMessageHandler
    {
        public List<HttpRequestMessage> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Add(request);
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/json") });
        }
    }
}
