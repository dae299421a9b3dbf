using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Options;

namespace FlinkOpsBot.Host.Tests.Composition;

/// <summary>Server mode refuses to start on bad configuration, with messages that name the setting.</summary>
public class StartupValidationTests
{
    [Fact]
    public void Start_NoStorage_NamesTheStorageSettings()
    {
        using var factory = Configure(new() { ["Flink:Clusters:0:Name"] = "prod", ["Flink:Clusters:0:BaseUrl"] = "http://127.0.0.1:1" });

        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        Assert.Contains("Storage:ConnectionString (or Storage:TableEndpoint", Flatten(error));
    }

    [Fact]
    public void Start_BadClusterUrl_NamesTheSetting()
    {
        using var factory = Configure(new() { ["Storage:InMemory"] = "true", ["Flink:Clusters:0:Name"] = "prod", ["Flink:Clusters:0:BaseUrl"] = "flink:8081" });

        var error = Assert.ThrowsAny<OptionsValidationException>(() => factory.CreateClient());

        Assert.Contains("Flink:Clusters:0:BaseUrl must be an absolute http(s) URL", error.Message);
    }

    [Fact]
    public void Start_NoCluster_SaysHowToGetOne()
    {
        using var factory = Configure(new() { ["Storage:InMemory"] = "true" });

        var error = Assert.ThrowsAny<OptionsValidationException>(() => factory.CreateClient());

        Assert.Contains("Flink:Clusters is empty", error.Message);
    }

    [Fact]
    public async Task Start_ValidConfiguration_AnswersHealth()
    {
        using var factory = Configure(new() { ["Storage:InMemory"] = "true", ["Flink:Clusters:0:Name"] = "prod", ["Flink:Clusters:0:BaseUrl"] = "http://127.0.0.1:1" });

        var response = await factory.CreateClient().GetStringAsync(new Uri("/healthz", UriKind.Relative));

        Assert.Equal("ok", response);
    }

    private static WebApplicationFactory<Program> Configure(Dictionary<string, string?> settings) =>
        new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            foreach (var (key, value) in settings) builder.UseSetting(key, value);
        });

    private static string Flatten(Exception e) => e.InnerException is null ? e.Message : e.Message + " | " + Flatten(e.InnerException);
}
