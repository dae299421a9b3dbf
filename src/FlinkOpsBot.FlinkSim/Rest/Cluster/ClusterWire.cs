using System.Text.Json.Serialization;

namespace FlinkOpsBot.FlinkSim.Rest.Cluster;

/// <summary>GET /config (<c>DashboardConfiguration</c>).</summary>
internal sealed record DashboardConfiguration(
    [property: JsonPropertyName("refresh-interval")] long RefreshInterval,
    [property: JsonPropertyName("timezone-name")] string TimezoneName,
    [property: JsonPropertyName("timezone-offset")] int TimezoneOffset,
    [property: JsonPropertyName("flink-version")] string FlinkVersion,
    [property: JsonPropertyName("flink-revision")] string FlinkRevision,
    [property: JsonPropertyName("features")] DashboardFeatures Features);

/// <summary>The UI feature flags of <see cref="DashboardConfiguration"/>.</summary>
internal sealed record DashboardFeatures(
    [property: JsonPropertyName("web-submit")] bool WebSubmit,
    [property: JsonPropertyName("web-cancel")] bool WebCancel,
    [property: JsonPropertyName("web-rescale")] bool WebRescale,
    [property: JsonPropertyName("web-history")] bool WebHistory);

/// <summary>GET /overview (<c>ClusterOverviewWithVersion</c>).</summary>
internal sealed record ClusterOverview(
    [property: JsonPropertyName("taskmanagers")] int TaskManagers,
    [property: JsonPropertyName("taskmanagers-blocked")] int TaskManagersBlocked,
    [property: JsonPropertyName("slots-total")] int SlotsTotal,
    [property: JsonPropertyName("slots-available")] int SlotsAvailable,
    [property: JsonPropertyName("slots-free-and-blocked")] int SlotsFreeAndBlocked,
    [property: JsonPropertyName("jobs-running")] int JobsRunning,
    [property: JsonPropertyName("jobs-finished")] int JobsFinished,
    [property: JsonPropertyName("jobs-cancelled")] int JobsCancelled,
    [property: JsonPropertyName("jobs-failed")] int JobsFailed,
    [property: JsonPropertyName("flink-version")] string FlinkVersion,
    [property: JsonPropertyName("flink-commit")] string FlinkCommit);

/// <summary>One entry of GET /jobmanager/config.</summary>
internal sealed record ConfigurationEntry(
    [property: JsonPropertyName("key")] string Key,
    [property: JsonPropertyName("value")] string Value);
