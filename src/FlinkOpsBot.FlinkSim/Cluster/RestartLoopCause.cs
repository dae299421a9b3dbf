namespace FlinkOpsBot.FlinkSim;

/// <summary>What fails a job in a restart loop (<see cref="SimFaults.RestartLoop"/>).</summary>
public enum RestartLoopCause
{
    /// <summary>The Kafka sink cannot reach its broker: <c>ConnectException: Connection refused</c> (an external system).</summary>
    ExternalSystem,

    /// <summary>
    /// A record the job cannot deserialize: <c>IOException: Failed to deserialize consumer record</c> caused by a
    /// <c>JsonParseException</c> (data: a poison record that only a fixed release, or skipping it, gets past).
    /// </summary>
    PoisonRecord,
}
