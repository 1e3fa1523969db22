// tm-matches.groovy - run by OmegaT (--script) after the project has
// loaded: for every source segment, the matches OmegaT's match pane would
// list (FindMatches, as the pane calls it), with their scores after the
// penalty of a tm/penalty-NNN/ folder. Prints one
// "BITEXT_TM SEGMENT<TAB>SCORE<TAB>TRANSLATION<TAB>FROM" line per match.
import org.omegat.core.Core
import org.omegat.core.events.IStopped
import org.omegat.core.statistics.FindMatches

def project = Core.getProject()
def finder = new FindMatches(project.getSourceTokenizer(), 10, true, false)
def never = { -> false } as IStopped
project.getAllEntries().each { ste ->
    finder.search(project, ste.getSrcText(), true, false, never).each { m ->
        println("BITEXT_TM " + ste.getSrcText() + "\t" + m.scores[0].score + "\t" +
                m.translation + "\t" + (m.projs == null ? "" : m.projs.join(",")))
    }
}
