using System.Data.Common;

namespace SecureHeaders.Reporting.Storage;

/// <summary>Reading rows into a list, the same for every ADO.NET store.</summary>
internal static class StoreRows
{
    /// <summary>Runs <paramref name="command"/> and maps each row with <paramref name="row"/>.</summary>
    public static async Task<List<T>> ReadAllAsync<T>(DbCommand command, Func<DbDataReader, T> row, CancellationToken cancellationToken)
    {
        var list = new List<T>();
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var readerScope = reader.ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(row(reader));
        }

        return list;
    }
}
