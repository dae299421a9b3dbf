using System.Net;
using System.Text.Json.Nodes;
using FlinkOpsBot.Testing;

namespace FlinkOpsBot.FlinkSim.Tests.Cmf;

/// <summary>
/// A FlinkSim server seeded with the Flink demo and the CMF demo (<see cref="SimCluster.SeedCmfDemo"/>), and calls
/// to its CMF API whose bodies are validated against CMF's OpenAPI 2.3.1 spec.
/// </summary>
internal static class CmfHarness
{
    public const string Env = "demo-env";
    public const string Api = "cmf/api/v1";
    public const string Apps = $"{Api}/environments/{Env}/applications";

    /// <summary>The CMF 2.3.1 OpenAPI document, unpatched.</summary>
    public static readonly OpenApiSchemaValidator Spec = OpenApiSchemaValidator.Load(SpecFile());

    public static async Task<SimHarness> StartAsync(Action<FlinkSimOptions>? configure = null)
    {
        var sim = await SimHarness.StartAsync(configure);
        SimCluster.SeedCmfDemo(sim.Cluster);
        return sim;
    }

    /// <summary>GET <paramref name="path"/>, expecting 200 and a body valid for <paramref name="route"/> (the spec's path key).</summary>
    public static Task<JsonNode> GetAsync(this SimHarness sim, string path, string route) =>
        sim.CallAsync(HttpMethod.Get, path, null, route, HttpStatusCode.OK);

    /// <summary>
    /// Sends <paramref name="json"/> to <paramref name="path"/>, expects <paramref name="expected"/> and, when the spec
    /// documents a JSON body for it, a body valid for <paramref name="route"/>; returns the body (null when empty).
    /// </summary>
    public static async Task<JsonNode> CallAsync(
        this SimHarness sim, HttpMethod method, string path, string? json, string route, HttpStatusCode expected)
    {
        var (status, body) = await sim.SendRawAsync(method, path, json);
        Assert.True(status == expected, $"{method} {path} answered {(int)status}, expected {(int)expected}: {body}");
        if (body.Length > 0) Spec.AssertValid(route, method.Method.ToLowerInvariant(), (int)status, body);
        return body.Length > 0 ? JsonNode.Parse(body)! : new JsonObject();
    }

    /// <summary>
    /// Expects <paramref name="expected"/> with CMF's error body, and returns its one message; with
    /// <paramref name="route"/>, the body must also match the spec's (<c>RestError</c>) schema for that response.
    /// </summary>
    public static async Task<string> ErrorAsync(
        this SimHarness sim, HttpMethod method, string path, string? json, HttpStatusCode expected, string? route = null)
    {
        var (status, body) = await sim.SendRawAsync(method, path, json);
        Assert.True(status == expected, $"{method} {path} answered {(int)status}, expected {(int)expected}: {body}");
        if (route is not null) Spec.AssertValid(route, method.Method.ToLowerInvariant(), (int)status, body);
        var errors = JsonNode.Parse(body)!["errors"]!.AsArray();
        return (string)Assert.Single(errors)!["message"]!;
    }

    /// <summary>The application's resource, validated.</summary>
    public static Task<JsonNode> AppAsync(this SimHarness sim, string app) =>
        sim.GetAsync($"{Apps}/{app}", "/cmf/api/v1/environments/{envName}/applications/{appName}");

    // RepoPaths.Specs is ../shared/reference/specs beside the repository; a git worktree may sit deeper, so look in
    // the nearest ancestor that has shared/reference/specs.
    private static string SpecFile()
    {
        const string relative = "cmf/cmf-openapi-2.3.1.yaml";
        var direct = Path.Combine(RepoPaths.Specs, relative);
        if (File.Exists(direct)) return direct;
        for (var dir = new DirectoryInfo(RepoPaths.Root).Parent; dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "reference", "specs", relative);
            if (File.Exists(candidate)) return candidate;
        }
        return direct;
    }
}
