using System.Text.Json.Serialization;
using FlinkOpsBot.FlinkSim.Rest.Jobs;

namespace FlinkOpsBot.FlinkSim.Rest.Jars;

/// <summary>GET /jars (<c>JarListInfo</c>).</summary>
internal sealed record JarListInfo(
    [property: JsonPropertyName("address")] string Address,
    [property: JsonPropertyName("files")] IReadOnlyList<JarFileInfo> Files);

/// <summary>One uploaded jar; <c>uploaded</c> in epoch milliseconds.</summary>
internal sealed record JarFileInfo(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("uploaded")] long Uploaded,
    [property: JsonPropertyName("entry")] IReadOnlyList<JarEntryInfo> Entry);

/// <summary>An entry class of a jar; programs rarely describe themselves, so <c>description</c> is null.</summary>
internal sealed record JarEntryInfo(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("description")] string? Description);

/// <summary>Body of POST /jars/:jarid/run; every field is optional and wins over its query parameter.</summary>
internal sealed record JarRunRequestBody(
    [property: JsonPropertyName("entryClass")] string? EntryClass,
    [property: JsonPropertyName("programArgsList")] IReadOnlyList<string>? ProgramArgsList,
    [property: JsonPropertyName("parallelism")] int? Parallelism,
    [property: JsonPropertyName("jobId")] string? JobId,
    [property: JsonPropertyName("savepointPath")] string? SavepointPath,
    [property: JsonPropertyName("allowNonRestoredState")] bool? AllowNonRestoredState,
    [property: JsonPropertyName("claimMode")] string? ClaimMode,
    [property: JsonPropertyName("restoreMode")] string? RestoreMode,
    [property: JsonPropertyName("flinkConfiguration")] IReadOnlyDictionary<string, string>? FlinkConfiguration);

/// <summary>200 of POST /jars/:jarid/run.</summary>
internal sealed record JarRunResponseBody([property: JsonPropertyName("jobid")] string JobId);

/// <summary>Body of POST /jars/:jarid/plan (<c>JarPlanRequestBody</c>): the run body without the restore fields.</summary>
internal sealed record JarPlanRequestBody(
    [property: JsonPropertyName("entryClass")] string? EntryClass,
    [property: JsonPropertyName("programArgsList")] IReadOnlyList<string>? ProgramArgsList,
    [property: JsonPropertyName("parallelism")] int? Parallelism,
    [property: JsonPropertyName("jobId")] string? JobId,
    [property: JsonPropertyName("flinkConfiguration")] IReadOnlyDictionary<string, string>? FlinkConfiguration);

/// <summary>200 of POST /jars/:jarid/plan (<c>JobPlanInfo</c>): the JSON plan, as in <c>GET /jobs/:jobid</c>.</summary>
internal sealed record JarPlanResponseBody([property: JsonPropertyName("plan")] JobPlan Plan);
