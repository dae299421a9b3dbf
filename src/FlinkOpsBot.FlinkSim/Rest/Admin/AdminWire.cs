using System.Text.Json.Serialization;

namespace FlinkOpsBot.FlinkSim.Rest.Admin;

/// <summary>One mutation as <c>GET /_sim/mutations</c> shows it; <c>kind</c> is kebab-case, e.g. <c>stop-with-savepoint</c>.</summary>
internal sealed record AdminMutation(
    string Kind, string JobId, string? TriggerId, string? ResultJobId, string? SavepointPath, string? JarId, DateTimeOffset Time);

/// <summary>One duplicate as <c>GET /_sim/mutations</c> shows it.</summary>
internal sealed record AdminDuplicate(string Rule, string Message, IReadOnlyList<AdminMutation> Mutations);

/// <summary>The body of <c>GET /_sim/mutations</c>.</summary>
internal sealed record AdminMutations(IReadOnlyList<AdminMutation> Mutations, IReadOnlyList<AdminDuplicate> Duplicates);

/// <summary>One call as <c>GET /_sim/calls</c> shows it (<c>statusCode</c> 0: never answered, a hang).</summary>
internal sealed record AdminCall(string Method, string Path, string? JobId, string? IdempotencyKey, int StatusCode, DateTimeOffset Time);

/// <summary>The body of <c>GET /_sim/calls</c>.</summary>
internal sealed record AdminCalls(IReadOnlyList<AdminCall> Calls);

/// <summary>Source-generated JSON (camelCase) for the admin API.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(AdminMutations))]
[JsonSerializable(typeof(AdminCalls))]
internal sealed partial class AdminJsonContext : JsonSerializerContext;
