// Package grade turns findings into points with a rubric: which checks make
// up each lab and what each is worth. It reads rubrics and scores results;
// it never looks at submissions or policies directly.
package grade
