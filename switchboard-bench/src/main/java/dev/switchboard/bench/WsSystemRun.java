package dev.switchboard.bench;

import java.util.List;
import java.util.Optional;

/**
 * Every cell of one system in the independent-client half of {@code BenchMain rpc}.
 *
 * @param label the row label, for example "rpc-websockets 10.0.1 server (node v20.20.2)"
 * @param cells in the order they ran: each workload with compression offered, then not
 */
record WsSystemRun(SystemId system, String label, List<WsCell> cells) {

  WsSystemRun {
    cells = List.copyOf(cells);
  }

  Optional<WsCell> cell(WsWorkload workload, boolean offered) {
    return cells.stream()
        .filter(c -> c.workload().equals(workload) && c.offered() == offered)
        .findFirst();
  }

  Optional<WsCell.Measured> measured(WsWorkload workload, boolean offered) {
    return cell(workload, offered)
        .flatMap(c -> c instanceof WsCell.Measured m ? Optional.of(m) : Optional.empty());
  }
}
