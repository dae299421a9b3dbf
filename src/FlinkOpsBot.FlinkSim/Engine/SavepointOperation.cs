using FlinkOpsBot.FlinkSim.Errors;

namespace FlinkOpsBot.FlinkSim.Engine;

/// <summary>A triggered savepoint or stop-with-savepoint, and its result once there is one.</summary>
internal sealed class SavepointOperation(string jobId, string triggerId, SavepointOperationKind kind)
{
    public string JobId { get; } = jobId;
    public string TriggerId { get; } = triggerId;
    public SavepointOperationKind Kind { get; } = kind;
    public DateTimeOffset? CompletedAt { get; private set; }

    /// <summary>The savepoint's path, once it succeeded.</summary>
    public string? Location { get; private set; }

    /// <summary>Why it failed, once it failed.</summary>
    public JavaException? Failure { get; private set; }

    public void Succeed(DateTimeOffset at, string location)
    {
        CompletedAt = at;
        Location = location;
    }

    public void Fail(DateTimeOffset at, JavaException failure)
    {
        CompletedAt = at;
        Failure = failure;
    }
}

/// <summary>Which endpoint triggered a <see cref="SavepointOperation"/>.</summary>
internal enum SavepointOperationKind
{
    /// <summary><c>POST /jobs/:jobid/savepoints</c>; the job keeps running (or is cancelled with <c>cancel-job</c>).</summary>
    Savepoint,

    /// <summary><c>POST /jobs/:jobid/stop</c>; the job ends FINISHED.</summary>
    Stop,
}

/// <summary>
/// The Dispatcher's cache of savepoint operations, keyed by (job id, trigger id): a second trigger with the same key
/// is the same operation, and a result can be read until <c>rest.async.store-duration</c> after it completed.
/// </summary>
internal sealed class OperationStore(TimeSpan storeDuration)
{
    private readonly Dictionary<(string JobId, string TriggerId), SavepointOperation> _operations = [];

    /// <summary>The operation under that key, unless there is none or its result expired at <paramref name="now"/>.</summary>
    public SavepointOperation? Find(string jobId, string triggerId, DateTimeOffset now)
    {
        if (!_operations.TryGetValue((jobId, triggerId), out var operation)) return null;
        if (operation.CompletedAt is { } completed && completed + storeDuration <= now)
        {
            _operations.Remove((jobId, triggerId));
            return null;
        }
        return operation;
    }

    public void Add(SavepointOperation operation) => _operations.Add((operation.JobId, operation.TriggerId), operation);

    /// <summary>Forgets the operations of <paramref name="jobId"/> as if their results had expired; those still running go on.</summary>
    public void Forget(string jobId)
    {
        foreach (var key in _operations.Keys.Where(key => key.JobId == jobId).ToList()) _operations.Remove(key);
    }
}
