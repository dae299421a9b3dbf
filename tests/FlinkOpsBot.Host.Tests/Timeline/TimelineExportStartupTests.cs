using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace FlinkOpsBot.Host.Tests.Timeline;

/// <summary>The HTTP timeline export's settings: checked at start with messages that name them; off unless a token is set.</summary>
public class TimelineExportStartupTests
{
    [Theory]
    [InlineData("Timeline:BearerToken", "too-short", "Timeline:BearerToken must be at least 32 characters")]
    [InlineData("Timeline:PublicBaseUrl", "ftp://flinkops.example.com/", "Timeline:PublicBaseUrl must be an absolute http(s) URL")]
    public void Start_BadSetting_NamesIt(string key, string value, string message)
    {
        using var factory = Configure(new() { [key] = value });

        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        Assert.Contains(message, Flatten(error), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_NoToken_DoesNotServeTheExport()
    {
        using var factory = Configure([]);
        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/timeline/INC-2222?format=md");
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer ");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private static WebApplicationFactory<Program> Configure(Dictionary<string, string?> settings) =>
        new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseSetting("Storage:InMemory", "true");
            builder.UseSetting("Flink:Clusters:0:Name", "prod");
            builder.UseSetting("Flink:Clusters:0:BaseUrl", "http://127.0.0.1:1");
            foreach (var (key, value) in settings) builder.UseSetting(key, value);
        });

    private static string Flatten(Exception e) => e.InnerException is null ? e.Message : e.Message + " | " + Flatten(e.InnerException);
}
