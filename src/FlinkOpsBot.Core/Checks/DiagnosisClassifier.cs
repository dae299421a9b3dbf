namespace FlinkOpsBot.Core.Checks;

/// <summary>What kind of failure restarts a job, which decides the mitigation.</summary>
public enum FailureCategory
{
    /// <summary>Nothing in the exception matched a rule.</summary>
    Unknown,

    /// <summary>A record the job cannot handle (deserialization, parsing, a poison record): skip it or ship a fixed release.</summary>
    Data,

    /// <summary>A system outside the job is failing or unreachable (network, timeouts, Kafka, S3): fix or wait for it; redeploying does not help.</summary>
    ExternalSystem,

    /// <summary>A bug or an incompatible dependency in the job's code (NPE, ClassNotFound, NoSuchMethod, IllegalState…): roll back or hotfix.</summary>
    Code,

    /// <summary>The job ran out of memory or lost its TaskManagers: give it resources or reduce its state.</summary>
    Resources,
}

/// <summary>A classification with the rule that decided it.</summary>
/// <param name="Category">The category.</param>
/// <param name="Matched">The text of the rule that matched (e.g. <c>JsonParseException</c>), or null for <see cref="FailureCategory.Unknown"/>.</param>
/// <param name="Advice">One line on what usually helps.</param>
public sealed record FailureClassification(FailureCategory Category, string? Matched, string Advice)
{
    /// <summary>The category in words, e.g. "external system".</summary>
    public string Label => Category switch
    {
        FailureCategory.Data => "data",
        FailureCategory.ExternalSystem => "external system",
        FailureCategory.Code => "code",
        FailureCategory.Resources => "resources",
        _ => "unclassified",
    };
}

/// <summary>
/// Classifies the exception that restarts a job (cookbook 7.1) by a small table of rules over exception class names and
/// messages. The root cause (innermost <c>Caused by:</c>) is tried first, then the exception itself: an
/// <c>IOException</c> caused by a <c>JsonParseException</c> is bad data, not a broken network. Within one text the
/// rules are tried in table order (data, code, resources, then external systems, whose patterns are the broadest).
/// Matching is case-insensitive on substrings.
/// </summary>
public static class DiagnosisClassifier
{
    private const string DataAdvice = "a record the job cannot handle: find it (offset in the logs), skip it or deploy a fix; restarting replays it again";
    private const string CodeAdvice = "a bug or a dependency clash in this release: roll back to the previous jar or deploy a hotfix";
    private const string ResourceAdvice = "memory or TaskManagers ran out: add resources, lower parallelism per TaskManager or reduce state";
    private const string ExternalAdvice = "a system the job talks to is failing or unreachable: fix it or wait; a redeploy does not help";

    /// <summary>The rules, in the order they are tried: pattern, category.</summary>
    public static IReadOnlyList<(string Pattern, FailureCategory Category)> Rules { get; } =
    [
        ("JsonParseException", FailureCategory.Data),
        ("JsonMappingException", FailureCategory.Data),
        ("MismatchedInputException", FailureCategory.Data),
        ("InvalidProtocolBufferException", FailureCategory.Data),
        ("AvroTypeException", FailureCategory.Data),
        ("AvroRuntimeException", FailureCategory.Data),
        ("SerializationException", FailureCategory.Data),
        ("NumberFormatException", FailureCategory.Data),
        ("DateTimeParseException", FailureCategory.Data),
        ("MalformedInputException", FailureCategory.Data),
        ("deserializ", FailureCategory.Data),
        ("poison", FailureCategory.Data),
        ("corrupt", FailureCategory.Data),
        ("parse", FailureCategory.Data),

        ("NullPointerException", FailureCategory.Code),
        ("ClassNotFoundException", FailureCategory.Code),
        ("NoClassDefFoundError", FailureCategory.Code),
        ("NoSuchMethodError", FailureCategory.Code),
        ("NoSuchFieldError", FailureCategory.Code),
        ("AbstractMethodError", FailureCategory.Code),
        ("IncompatibleClassChangeError", FailureCategory.Code),
        ("LinkageError", FailureCategory.Code),
        ("ClassCastException", FailureCategory.Code),
        ("IllegalStateException", FailureCategory.Code),
        ("IllegalArgumentException", FailureCategory.Code),
        ("IndexOutOfBoundsException", FailureCategory.Code),
        ("UnsupportedOperationException", FailureCategory.Code),
        ("ArithmeticException", FailureCategory.Code),
        ("StackOverflowError", FailureCategory.Code),
        ("StateMigrationException", FailureCategory.Code),

        ("OutOfMemoryError", FailureCategory.Resources),
        ("Java heap space", FailureCategory.Resources),
        ("Metaspace", FailureCategory.Resources),
        ("NoResourceAvailableException", FailureCategory.Resources),
        ("TaskManager lost", FailureCategory.Resources),
        ("heartbeat of TaskManager", FailureCategory.Resources),

        ("ConnectException", FailureCategory.ExternalSystem),
        ("Connection refused", FailureCategory.ExternalSystem),
        ("Connection reset", FailureCategory.ExternalSystem),
        ("UnknownHostException", FailureCategory.ExternalSystem),
        ("NoRouteToHostException", FailureCategory.ExternalSystem),
        ("SocketTimeoutException", FailureCategory.ExternalSystem),
        ("TimeoutException", FailureCategory.ExternalSystem),
        ("timed out", FailureCategory.ExternalSystem),
        ("SSLException", FailureCategory.ExternalSystem),
        ("kafka", FailureCategory.ExternalSystem),
        ("NotLeaderOrFollowerException", FailureCategory.ExternalSystem),
        ("UnknownTopicOrPartitionException", FailureCategory.ExternalSystem),
        ("AmazonS3Exception", FailureCategory.ExternalSystem),
        ("S3Exception", FailureCategory.ExternalSystem),
        ("SdkClientException", FailureCategory.ExternalSystem),
        ("SlowDown", FailureCategory.ExternalSystem),
        ("Throttl", FailureCategory.ExternalSystem),
        ("ServiceUnavailable", FailureCategory.ExternalSystem),
        ("SQLException", FailureCategory.ExternalSystem),
        ("IOException", FailureCategory.ExternalSystem),
    ];

    /// <summary>Classifies a failure by its root cause, then by its exception line; <see cref="FailureCategory.Unknown"/> when no rule matches.</summary>
    /// <param name="exception">The exception line, e.g. <c>IOException: Failed to deserialize consumer record</c>.</param>
    /// <param name="rootCause">The innermost cause line, or null.</param>
    public static FailureClassification Classify(string? exception, string? rootCause)
    {
        foreach (var text in new[] { rootCause, exception })
        {
            if (string.IsNullOrWhiteSpace(text)) continue;
            foreach (var (pattern, category) in Rules)
            {
                if (text.Contains(pattern, StringComparison.OrdinalIgnoreCase)) return new(category, pattern, AdviceFor(category));
            }
        }
        return new(FailureCategory.Unknown, null, "no rule matched: read the stack trace in the Flink UI (Exceptions tab) or the TaskManager log");
    }

    private static string AdviceFor(FailureCategory category) => category switch
    {
        FailureCategory.Data => DataAdvice,
        FailureCategory.Code => CodeAdvice,
        FailureCategory.Resources => ResourceAdvice,
        _ => ExternalAdvice,
    };
}
