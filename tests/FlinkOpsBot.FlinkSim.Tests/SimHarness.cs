using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using FlinkOpsBot.Testing;

namespace FlinkOpsBot.FlinkSim.Tests;

/// <summary>A FlinkSim server on a manual clock, with an HTTP client for it and the demo cluster's ids.</summary>
internal sealed class SimHarness : IAsyncDisposable
{
    private SimHarness(FlinkSimServer server, ManualTimeProvider clock, FlinkSimOptions options)
    {
        Server = server;
        Clock = clock;
        Options = options;
        Http = new HttpClient { BaseAddress = server.BaseAddress };
    }

    public FlinkSimServer Server { get; }
    public SimCluster Cluster => Server.Cluster;
    public ManualTimeProvider Clock { get; }
    public FlinkSimOptions Options { get; }
    public HttpClient Http { get; }

    /// <summary>The demo's orders-enricher job (2.3.1, parallelism 4).</summary>
    public SimJob Orders => Cluster.FindJob("orders-enricher")!;

    public SimJar Jar(string fileName) => Cluster.Jars.Single(jar => jar.FileName == fileName);

    /// <summary>Starts a server with default (real-paced) options, adjusted by <paramref name="configure"/>, seeded with the demo.</summary>
    public static async Task<SimHarness> StartAsync(Action<FlinkSimOptions>? configure = null)
    {
        var options = new FlinkSimOptions();
        configure?.Invoke(options);
        var clock = new ManualTimeProvider();
        var server = await FlinkSimServer.StartAsync(options, clock);
        SimCluster.SeedDemo(server.Cluster);
        return new SimHarness(server, clock, options);
    }

    public void Advance(TimeSpan by) => Clock.Advance(by);

    public async Task<JsonNode> GetJsonAsync(string path)
    {
        var (status, body) = await SendAsync(HttpMethod.Get, path);
        Assert.True(status == HttpStatusCode.OK, $"GET {path} answered {(int)status}: {body?.ToJsonString()}");
        return body!;
    }

    public async Task<(HttpStatusCode Status, JsonNode? Body)> SendAsync(HttpMethod method, string path, string? json = null)
    {
        var (status, text) = await SendRawAsync(method, path, json);
        return (status, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    public async Task<(HttpStatusCode Status, string Body)> SendRawAsync(HttpMethod method, string path, string? json = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null) request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await Http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public Task<(HttpStatusCode Status, JsonNode? Body)> PostAsync(string path, string json = "{}") => SendAsync(HttpMethod.Post, path, json);

    /// <summary>Stops <paramref name="job"/> with a savepoint and returns the savepoint's location once it completed.</summary>
    public async Task<string> StopWithSavepointAsync(SimJob job)
    {
        var (status, trigger) = await PostAsync($"jobs/{job.JobId}/stop");
        Assert.Equal(HttpStatusCode.Accepted, status);
        Advance(Options.SavepointDuration);
        var result = await GetJsonAsync($"jobs/{job.JobId}/savepoints/{trigger!["request-id"]}");
        return (string)result["operation"]!["location"]!;
    }

    /// <summary>Runs <paramref name="jarFileName"/> with <paramref name="body"/> and returns the new job.</summary>
    public async Task<SimJob> RunJarAsync(string jarFileName, string body = "{}")
    {
        var (status, response) = await PostAsync($"jars/{Jar(jarFileName).Id}/run", body);
        Assert.True(status == HttpStatusCode.OK, $"jar run answered {(int)status}: {response?.ToJsonString()}");
        return Cluster.FindJob((string)response!["jobid"]!)!;
    }

    /// <summary>The first line of the only entry of a Flink error body.</summary>
    public static string FirstErrorLine(JsonNode? body)
    {
        var errors = body!["errors"]!.AsArray();
        Assert.Single(errors);
        return ((string)errors[0]!).Split('\n')[0];
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
    }
}
